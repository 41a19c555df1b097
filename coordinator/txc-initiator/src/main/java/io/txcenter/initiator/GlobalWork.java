package io.txcenter.initiator;

/**
 * What one global transaction runs, and how each of its outcomes becomes the caller's own: the
 * callbacks of {@link GlobalTransactionTemplate#execute}.
 *
 * @param <T> the caller's result
 */
public interface GlobalWork<T> {

  /**
   * The caller's typed "coordinator unavailable" error for a transaction that could not begin
   * (Seata's checked {@code TransactionException}, or its unchecked {@code FrameworkException} when
   * no TC can be reached). Nothing ran and no XID is bound; the caller may release here what it
   * holds for the transaction. The template throws what this returns.
   */
  RuntimeException coordinatorUnavailable(Exception cause);

  /** The branches, run with the transaction's XID bound. Any runtime exception rolls it back. */
  void run(String xid);

  /**
   * After {@link #run} failed with {@code cause} and the rollback was asked for (a rollback the TC
   * did not acknowledge is already logged; the TC then times the transaction out and cancels its
   * branches). The XID is no longer bound. Releases what must be released, then returns the
   * caller's result or throws its typed exception.
   */
  T failed(String xid, RuntimeException cause);

  /**
   * After the commit was asked for: {@code notAcknowledged} is {@code null} when the TC
   * acknowledged it, else the failure, already logged (the TC owns the outcome now: it retries the
   * commit or times the transaction out). The XID is no longer bound. Returns the caller's result.
   */
  T committed(String xid, Exception notAcknowledged);
}
