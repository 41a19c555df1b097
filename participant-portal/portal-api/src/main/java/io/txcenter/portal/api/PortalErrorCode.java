package io.txcenter.portal.api;

/** Stable error codes of the portal service. */
public enum PortalErrorCode {
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_CHANNEL,
  QUOTA_EXHAUSTED,
  NO_GLOBAL_TRANSACTION,
  BRANCH_SUSPENDED,
  STORAGE_FAILURE
}
