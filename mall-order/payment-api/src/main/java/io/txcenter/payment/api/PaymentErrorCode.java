package io.txcenter.payment.api;

/** Stable error codes of the payment service. */
public enum PaymentErrorCode {
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_PAYMENT,
  DUPLICATE_PAYMENT,
  MALFORMED_BANK_RESULT,
  /** The bank result's signature is missing, wrong, or from a bank without a secret here. */
  BAD_SIGNATURE,
  AMOUNT_MISMATCH,
  SERVICE_UNAVAILABLE
}
