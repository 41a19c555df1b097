package io.txcenter.payment.api;

/**
 * Event {@code PAYMENT_NOTIFY} of the payment outbox (topic {@code merchant-notify}, tag = {@code
 * status}, {@code PAID} or {@code FAILED}; business key the payment number): a payment completed,
 * for the merchant to be told. The payload's fields are these components, in this order.
 */
public record PaymentNotification(
    String paymentNo, String merchantId, String status, long amountCents) {

  /** The event's name on the wire (the payload's {@code event} field). */
  public static final String EVENT = "PAYMENT_NOTIFY";
}
