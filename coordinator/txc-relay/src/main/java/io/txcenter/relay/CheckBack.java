package io.txcenter.relay;

import org.apache.seata.core.model.GlobalStatus;

/**
 * What a check-back does with a branch whose messages are still PREPARED after the immunity time,
 * given what the transaction coordinator says of its global transaction.
 */
public final class CheckBack {

  private CheckBack() {}

  /** The resolution of a PREPARED branch. */
  public enum Decision {
    /** The global transaction committed: the messages become READY. */
    READY,
    /** It rolled back: the messages are DISCARDED and the branch is fenced. */
    DISCARD,
    /** The coordinator no longer knows it: ask the owning service's business check. */
    ASK_BUSINESS,
    /** Still running, or the coordinator's answer is not final: look again later. */
    WAIT
  }

  /** {@code status} is what the TC answered; null when it could not be asked. */
  public static Decision decide(GlobalStatus status) {
    if (status == null) {
      return Decision.WAIT;
    }
    return switch (status) {
      case Committed, Committing, CommitRetrying, AsyncCommitting, CommitRetryTimeout ->
          Decision.READY;
      case Rollbacked,
              Rollbacking,
              RollbackRetrying,
              TimeoutRollbacked,
              TimeoutRollbacking,
              TimeoutRollbackRetrying,
              RollbackRetryTimeout,
              RollbackFailed,
              TimeoutRollbackFailed ->
          Decision.DISCARD;
      case Finished -> Decision.ASK_BUSINESS;
      default -> Decision.WAIT;
    };
  }
}
