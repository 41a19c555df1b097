package io.txcenter.payment;

import io.txcenter.kit.Echo;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.store.PaymentRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment service's business check for its outbox: a payment's events committed if and only if
 * the payment was settled (PAID or FAILED) by the same global transaction.
 */
public final class PaymentOutboxCheck implements OutboxCheck {

  private static final Logger log = LoggerFactory.getLogger(PaymentOutboxCheck.class);

  private final PaymentMapper payments;

  public PaymentOutboxCheck(PaymentMapper payments) {
    this.payments = payments;
  }

  @Override
  public CheckOutcome check(String topic, String businessKey, String xid) {
    PaymentRecord payment = payments.find(businessKey);
    CheckOutcome outcome;
    // a question without an xid is about no transaction of this payment (and must not throw)
    if (payment == null || xid == null || !xid.equals(payment.xid())) {
      outcome = CheckOutcome.ROLLED_BACK;
    } else if ("PROCESSING".equals(payment.status())) {
      outcome = CheckOutcome.UNKNOWN;
    } else {
      outcome = CheckOutcome.COMMITTED;
    }
    log.info(
        "outbox business check xid={} payment={} outcome={}",
        Echo.cut(xid),
        Echo.cut(businessKey),
        outcome);
    return outcome;
  }
}
