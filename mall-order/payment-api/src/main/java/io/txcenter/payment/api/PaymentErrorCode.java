package io.txcenter.payment.api;

/** Stable error codes of the payment service. */
public enum PaymentErrorCode {
  /** A field is missing, malformed, or longer than its column. */
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_PAYMENT,
  DUPLICATE_PAYMENT,
  /** The merchant has no account on the payment platform: the payment could never be credited. */
  UNKNOWN_MERCHANT,
  /** The portal knows no such channel: the points award could never be made. */
  UNKNOWN_CHANNEL,
  /** A field of the bank result is missing, malformed, or longer than its column. */
  MALFORMED_BANK_RESULT,
  /** The bank result's signature is missing, wrong, or from a bank without a secret here. */
  BAD_SIGNATURE,
  AMOUNT_MISMATCH,
  /** This bank transaction already claimed or settled another payment. */
  BANK_TXN_REUSED,
  /**
   * The bank result contradicts what the payment holds (success after FAILED, failure after PAID,
   * or another bank transaction); recorded and alerted, nothing changed.
   */
  CONFLICTING_BANK_RESULT,
  SERVICE_UNAVAILABLE
}
