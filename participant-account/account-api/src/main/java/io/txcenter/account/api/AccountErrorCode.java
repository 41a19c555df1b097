package io.txcenter.account.api;

/** Stable error codes of the account service. */
public enum AccountErrorCode {
  INVALID_REQUEST,
  INVALID_AMOUNT,
  UNKNOWN_ACCOUNT,
  NO_GLOBAL_TRANSACTION,
  BRANCH_SUSPENDED,
  STORAGE_FAILURE
}
