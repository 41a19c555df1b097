package io.txcenter.payment.api;

/**
 * Event {@code PAYMENT_VOUCHER} of the payment outbox (topic {@code accounting}, tag {@code
 * VOUCHER}, business key the payment number): a payment was paid, for accounting to book. The
 * payload's fields are these components, in this order.
 */
public record PaymentVoucher(
    String paymentNo, String merchantId, long userId, long amountCents, String bankTxnNo) {

  /** The event's name on the wire (the payload's {@code event} field). */
  public static final String EVENT = "PAYMENT_VOUCHER";
}
