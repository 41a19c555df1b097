package io.txcenter.payment.api;

/** The payment platform's payment orders and their completion by the bank's result. */
public interface PaymentService {

  /** Largest payment, in cents. */
  long MAX_AMOUNT_CENTS = 100_000_000_00L;

  /**
   * Records a payment order, CREATED. Idempotent: the same request again returns the stored order.
   *
   * @throws PaymentException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     DUPLICATE_PAYMENT} (the number exists with other terms)
   */
  PaymentView createPayment(CreatePaymentRequest request) throws PaymentException;

  /**
   * Applies the bank's result. A success runs one global transaction: the payment becomes PAID, the
   * merchant's account is credited, the user is awarded points in the payment's channel, and an
   * accounting voucher and a merchant notification are appended to the outbox — all or none. A
   * failure marks the payment FAILED and emits only the notification.
   *
   * <p>Callbacks may repeat and race: only the first one starts a global transaction; every other
   * call returns the current outcome with {@code duplicate = true} and changes nothing.
   *
   * @throws PaymentException before any change: {@code INVALID_REQUEST}, {@code UNKNOWN_PAYMENT},
   *     {@code MALFORMED_BANK_RESULT}, {@code AMOUNT_MISMATCH}, {@code SERVICE_UNAVAILABLE}
   */
  PaymentView completePayment(String paymentNo, BankResult result) throws PaymentException;

  /**
   * The payment as it stands, for merchants reconciling their notifications.
   *
   * @throws PaymentException {@code UNKNOWN_PAYMENT}, {@code INVALID_REQUEST}
   */
  PaymentView queryPayment(String paymentNo) throws PaymentException;
}
