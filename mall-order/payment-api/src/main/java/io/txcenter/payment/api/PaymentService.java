package io.txcenter.payment.api;

/**
 * The payment platform's payment orders and their completion by the bank's result.
 *
 * <p>Every refusal is a {@link PaymentException} with a stable {@link PaymentErrorCode}; unless
 * said otherwise it changes nothing. Error messages cut echoed input to 64 characters.
 */
public interface PaymentService {

  /** Largest payment, in cents. */
  long MAX_AMOUNT_CENTS = 100_000_000_00L;

  /** Payment numbers, merchant ids and bank transaction numbers: {@value}. */
  String KEY = "[A-Za-z0-9_-]{1,64}";

  /** Channel ids: {@value}. */
  String CHANNEL = "[a-z0-9-]{1,32}";

  /** Longest failure reason a bank result may carry, in characters (its column's width). */
  int MAX_REASON_CHARS = 256;

  /**
   * Records a payment order, CREATED. Idempotent: the same request again returns the stored order
   * with {@code duplicate = true}.
   *
   * @throws PaymentException checked in this order, each before any change: {@code INVALID_REQUEST}
   *     (null request; payment number or merchant id not {@link #KEY}; user id not &gt; 0; channel
   *     id not {@link #CHANNEL}), {@code INVALID_AMOUNT} (amount not in [1, {@link
   *     #MAX_AMOUNT_CENTS}], award points not in [0, points' MAX_POINTS]), {@code UNKNOWN_MERCHANT}
   *     (the merchant has no account), {@code UNKNOWN_CHANNEL} (the portal knows no such channel),
   *     {@code SERVICE_UNAVAILABLE} (the account service or the portal cannot be asked), {@code
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
   * <p>One bank transaction ({@code bankId}, {@code bankTxnNo}) settles at most one payment; the
   * database enforces it (a unique key), so racing callbacks cannot both claim.
   *
   * <p>Callbacks may repeat and race: only the first one starts a global transaction. A repeat with
   * the same bank transaction and the same outcome returns the current state with {@code duplicate
   * = true} and changes nothing. A signed callback may be replayed (there is no timestamp or nonce
   * in it); a replay is such a repeat. A result that contradicts the payment (success after FAILED,
   * failure after PAID, or another bank transaction for a claimed or settled payment) is refused
   * with {@code CONFLICTING_BANK_RESULT}, recorded in {@code payment_conflict} and alerted.
   *
   * @throws PaymentException checked in this order, each before any claim or change: {@code
   *     INVALID_REQUEST} (payment number not {@link #KEY}), {@code MALFORMED_BANK_RESULT} (null
   *     result; bank id not {@code [a-z0-9-]{1,32}}; bank transaction number not {@link #KEY};
   *     amount not &gt; 0; a failure without a reason; a reason longer than {@link
   *     #MAX_REASON_CHARS} characters or with control characters or unpaired surrogates; a
   *     signature longer than 512 characters), {@code BAD_SIGNATURE}, {@code UNKNOWN_PAYMENT},
   *     {@code AMOUNT_MISMATCH}, {@code BANK_TXN_REUSED} (the bank transaction belongs to another
   *     payment), {@code CONFLICTING_BANK_RESULT} (recorded and alerted, the payment unchanged);
   *     {@code SERVICE_UNAVAILABLE} when the global transaction could not begin or was rolled back
   *     (a participant or the coordinator failed): the claim is given back, the payment is CREATED
   *     again, and the bank's next callback completes it
   */
  PaymentView completePayment(String paymentNo, BankResult result) throws PaymentException;

  /**
   * The payment as it stands, for merchants reconciling their notifications.
   *
   * @throws PaymentException {@code INVALID_REQUEST} (payment number not {@link #KEY}), {@code
   *     UNKNOWN_PAYMENT}
   */
  PaymentView queryPayment(String paymentNo) throws PaymentException;
}
