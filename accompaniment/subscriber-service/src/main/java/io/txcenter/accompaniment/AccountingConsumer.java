package io.txcenter.accompaniment;

import io.txcenter.outbox.EventType;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import io.txcenter.payment.api.PaymentVoucher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounting consumer of topic {@code accounting}: one double-entry voucher per paid payment,
 * applied once. Debit bank clearing, credit the merchant's payable: the lines sum to zero.
 */
public final class AccountingConsumer implements EventConsumer {

  static final String BANK_CLEARING = "1002-bank-clearing";
  static final String MERCHANT_PAYABLE = "2202-merchant-payable:";

  private static final Logger log = LoggerFactory.getLogger(AccountingConsumer.class);
  private static final EventType<PaymentVoucher> VOUCHER =
      EventType.reader(PaymentVoucher.EVENT, PaymentVoucher.class);

  private final IdempotentConsumer idempotent;

  public AccountingConsumer(IdempotentConsumer idempotent) {
    this.idempotent = idempotent;
  }

  @Override
  public void consume(EventMessage message) {
    EventMessageCheck.requireWellFormed(message);
    PaymentVoucher voucher = VOUCHER.read(message);
    String paymentNo = voucher.paymentNo();
    String merchant = voucher.merchantId();
    long amount = voucher.amountCents();
    if (!VOUCHER.isNamedIn(message) || paymentNo.isEmpty() || merchant.isEmpty() || amount <= 0) {
      throw new ConsumerException(
          ConsumerException.Code.REJECTED,
          "not a payment voucher with paymentNo, merchantId and amountCents > 0: "
              + EventMessageCheck.shown(message.payload()));
    }
    IdempotentConsumer.Outcome outcome =
        idempotent.consume(
            message.messageId(),
            () -> {
              String voucherNo = "V-" + paymentNo;
              idempotent
                  .jdbc()
                  .update(
                      "INSERT INTO voucher (voucher_no, message_id, payment_no) VALUES (?, ?, ?)",
                      voucherNo,
                      message.messageId(),
                      paymentNo);
              idempotent
                  .jdbc()
                  .update(
                      "INSERT INTO voucher_line VALUES (?, 1, ?, ?), (?, 2, ?, ?)",
                      voucherNo,
                      BANK_CLEARING,
                      amount,
                      voucherNo,
                      MERCHANT_PAYABLE + merchant,
                      -amount);
            });
    log.info(
        "voucher {} payment={} merchant={} amount_cents={} message={}",
        outcome == IdempotentConsumer.Outcome.APPLIED ? "booked" : "already booked",
        paymentNo,
        merchant,
        amount,
        message.messageId());
  }
}
