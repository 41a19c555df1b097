package io.txcenter.points.api;

/** Stable error codes of the points service. */
public enum PointsErrorCode {
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_CHANNEL,
  UNKNOWN_USER,
  INSUFFICIENT_POINTS,
  NO_GLOBAL_TRANSACTION,
  BRANCH_SUSPENDED,
  /** The business key already holds a live (tried or confirmed) reservation. */
  DUPLICATE_RESERVATION,
  /** The caller's global transaction does not exist or is no longer active. */
  TRANSACTION_NOT_ACTIVE,
  STORAGE_FAILURE
}
