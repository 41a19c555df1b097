package io.txcenter.kit.fence;

/**
 * A parked branch: an operator took a {@code tried} branch out of phase two ({@code bin/txc tx park
 * <xid> --reason …}, docs/operations.md). Its fence row then holds {@link #STATUS_PARKED}, a status
 * of txcenter's own beside Seata's 1–4: the fast path's guarded update ({@code WHERE status = 1})
 * misses it, and {@link GuardedFenceHandler}'s fallback refuses the phase with {@link
 * BranchParkedException} before Seata's handler could settle the row. The TC keeps the session and
 * retries (Seata 2.0's TC has no stopped state of its own); the reservation stays frozen, a late
 * Try still collides with the row, and the clean task never deletes it. {@code bin/txc tx retry
 * <xid> --reason …} moves the row back to {@code tried}, and the TC's next retry, within a second,
 * runs the phase.
 */
public final class FenceParking {

  /**
   * The fence status of a parked branch (Seata's: 1 tried, 2 committed, 3 rollbacked, 4 suspended).
   */
  public static final int STATUS_PARKED = 9;

  private FenceParking() {}

  /** Phase two of a parked branch was refused; nothing ran and nothing changed. */
  public static final class BranchParkedException extends IllegalStateException {
    public BranchParkedException(String xid, long branchId) {
      super(
          "branch parked: xid="
              + xid
              + " branch="
              + branchId
              + "; phase two is refused until bin/txc tx retry releases it");
    }
  }
}
