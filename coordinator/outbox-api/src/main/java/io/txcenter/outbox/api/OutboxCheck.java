package io.txcenter.outbox.api;

/**
 * The business check of an outbox owner, asked by the relay's check-back when a message is still
 * PREPARED after its immunity time and the transaction coordinator no longer knows its global
 * transaction. Exported over Dubbo under the group named by the outbox.
 */
public interface OutboxCheck {

  /** Did the business operation behind {@code businessKey}, run in {@code xid}, commit? */
  CheckOutcome check(String topic, String businessKey, String xid);

  /** The answer of a business check. */
  enum CheckOutcome {
    COMMITTED,
    ROLLED_BACK,
    UNKNOWN
  }
}
