package io.txcenter.fund.api;

/** Stable error codes of the fund service. */
public enum FundErrorCode {
  /** Malformed input: a missing or ill-formed field. */
  INVALID_REQUEST,
  /** An amount out of its range (below one unit of the target fund, or above the maximum). */
  INVALID_AMOUNT,
  UNKNOWN_INVESTOR,
  UNKNOWN_FUND,
  UNKNOWN_PURCHASE,
  /** The fund is not on sale, is not a target fund, or the wallet (money-market) fund is closed. */
  FUND_NOT_OPEN,
  INSUFFICIENT_CASH,
  /** The purchase number was already used with other content. */
  DUPLICATE_PURCHASE,
  NO_GLOBAL_TRANSACTION,
  BRANCH_SUSPENDED,
  TRANSACTION_NOT_ACTIVE,
  /** The business key already holds a live (tried or confirmed) reservation. */
  DUPLICATE_RESERVATION,
  STORAGE_FAILURE,
  /** The transaction coordinator or a dependency could not be reached; nothing was bought. */
  SERVICE_UNAVAILABLE,
  /** The global transaction failed for another reason and was rolled back. */
  TRANSACTION_FAILED
}
