package io.txcenter.outbox.api;

/** Stable error codes of an outbox append. */
public enum OutboxErrorCode {
  UNKNOWN_TOPIC,
  UNKNOWN_TAG,
  MALFORMED_PAYLOAD,
  INVALID_MESSAGE,
  NO_GLOBAL_TRANSACTION,
  BRANCH_SUSPENDED
}
