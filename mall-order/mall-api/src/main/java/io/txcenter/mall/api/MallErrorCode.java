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
  /** The order number is taken by an order of other content (user or lines). */
  DUPLICATE_ORDER,
  SERVICE_UNAVAILABLE,
  TRANSACTION_FAILED
}
