package io.txcenter.payment.api;

/** Stable error codes of the payment service. */
public enum PaymentErrorCode {
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_PAYMENT,
  DUPLICATE_PAYMENT,
  MALFORMED_BANK_RESULT,
  AMOUNT_MISMATCH,
  SERVICE_UNAVAILABLE
}
