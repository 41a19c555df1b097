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
  STORAGE_FAILURE
}
