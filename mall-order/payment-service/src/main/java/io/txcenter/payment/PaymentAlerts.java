package io.txcenter.payment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the payment service's alerts as the relay's {@code Alerts} does: one ERROR line that
 * starts with {@code ALERT} and a stable key, then the ids. Key {@code payment-conflict}: a bank
 * result that contradicts the payment (recorded in {@code payment_conflict}); an operator has to
 * settle it with the bank, since money may have moved twice or not at all.
 */
final class PaymentAlerts {

  static final String CONFLICT = "payment-conflict";

  private static final Logger log = LoggerFactory.getLogger(PaymentAlerts.class);

  private PaymentAlerts() {}

  static void conflict(
      String paymentNo,
      String bankId,
      String bankTxnNo,
      String reported,
      String recorded,
      String recordedBankTxnNo) {
    log.error(
        "ALERT {} conflicting bank result payment={} bank={} bank_txn={} reported={} recorded={}"
            + " recorded_bank_txn={}",
        CONFLICT,
        paymentNo,
        bankId,
        bankTxnNo,
        reported,
        recorded,
        recordedBankTxnNo);
  }
}
