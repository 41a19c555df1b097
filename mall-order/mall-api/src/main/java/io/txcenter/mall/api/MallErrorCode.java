package io.txcenter.mall.api;

/** Stable error codes of the mall. */
public enum MallErrorCode {
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_CHANNEL,
  UNKNOWN_USER,
  INSUFFICIENT_POINTS,
  QUOTA_EXHAUSTED,
  UNKNOWN_ORDER,
  SERVICE_UNAVAILABLE,
  TRANSACTION_FAILED
}
