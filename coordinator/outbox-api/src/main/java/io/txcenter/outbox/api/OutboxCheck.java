package io.txcenter.outbox.api;

/**
 * The business check of an outbox owner, asked by the relay's check-back when a message is still
 * PREPARED after its immunity time and the transaction coordinator no longer knows its global
 * transaction. Exported over Dubbo under the group named by the outbox.
 */
public interface OutboxCheck {

  /**
   * Did the business operation behind {@code businessKey}, run in {@code xid}, commit? Never throws
   * for bad input: a null, malformed or unknown {@code businessKey} or {@code xid}, or an {@code
   * xid} other than the one the operation ran in, is {@code ROLLED_BACK} (no committed operation
   * matches it, so its messages are discarded); {@code UNKNOWN} only while the operation itself is
   * undecided. {@code topic} tells the owner which of its outboxes asks; the owners here answer per
   * business key whatever it says.
   */
  CheckOutcome check(String topic, String businessKey, String xid);

  /** The answer of a business check. */
  enum CheckOutcome {
    COMMITTED,
    ROLLED_BACK,
    UNKNOWN
  }
}
