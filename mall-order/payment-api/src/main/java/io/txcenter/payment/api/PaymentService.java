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
   * <p>The result must be signed by the bank that reports it: {@code result.signature()} is
   * HMAC-SHA256 of {@link BankSignature#canonical(String, BankResult)} (payment number, bank id,
   * bank transaction number, status, amount, reason) with the secret {@code bank.<bankId>.secret}
   * (or, during a rotation, {@code bank.<bankId>.secret.previous}). The signature is checked before
   * the payment is looked up, claimed or changed: a result without a signature, with a wrong one,
   * with one made for another payment, amount, status, bank transaction or reason, or from a bank
   * that has no secret here is refused with {@code BAD_SIGNATURE} and changes nothing (no claim, no
   * status change, no global transaction).
   *
   * <p>Callbacks may repeat and race: only the first one starts a global transaction; every other
   * call returns the current outcome with {@code duplicate = true} and changes nothing. A signed
   * callback may be replayed (there is no timestamp or nonce in it); a replay is such a repeat.
   *
   * @throws PaymentException before any change, checked in this order: {@code INVALID_REQUEST}
   *     (payment number), {@code MALFORMED_BANK_RESULT} (fields of the result, bank id {@code
   *     [a-z0-9-]{1,32}}), {@code BAD_SIGNATURE}, {@code UNKNOWN_PAYMENT}, {@code AMOUNT_MISMATCH};
   *     {@code SERVICE_UNAVAILABLE} after the claim, which is given back
   */
  PaymentView completePayment(String paymentNo, BankResult result) throws PaymentException;

  /**
   * The payment as it stands, for merchants reconciling their notifications.
   *
   * @throws PaymentException {@code UNKNOWN_PAYMENT}, {@code INVALID_REQUEST}
   */
  PaymentView queryPayment(String paymentNo) throws PaymentException;
}
