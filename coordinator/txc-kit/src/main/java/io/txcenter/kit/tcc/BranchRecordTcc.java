package io.txcenter.kit.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;

/**
 * A TCC action that keeps one {@link BranchRecord} per branch. Confirm and Cancel are one
 * algorithm: find the branch's record {@code FOR UPDATE}; if there is none (the Try never ran) or
 * it is no longer {@link BranchRecord#TRIED} (settled already), do nothing and return {@code true};
 * else apply the phase's guarded update, which must change its one row ({@link
 * IllegalStateException} otherwise, so the fence's transaction rolls back and the TC retries), and
 * settle the record. Runs in Seata's fence local transaction, whose row makes a repeated phase a
 * no-op before it gets here; the record's status makes it idempotent on its own too.
 *
 * @param <R> the participant's branch record
 */
public abstract class BranchRecordTcc<R extends BranchRecord> extends SecondPhaseTcc {

  @Override
  protected boolean complete(BusinessActionContext context, Phase phase) {
    R record = findForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !BranchRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (!apply(phase, record)) {
      throw new IllegalStateException(missing(record));
    }
    settle(phase, record);
    return true;
  }

  /** The branch's record, locked ({@code SELECT ... FOR UPDATE}), or {@code null}. */
  protected abstract R findForUpdate(String xid, long branchId);

  /**
   * Applies {@code phase} to what {@code record} reserved, with an update guarded by the amounts it
   * expects; {@code false} if the update changed no row. A phase with nothing to apply returns
   * {@code true}.
   */
  protected abstract boolean apply(Phase phase, R record);

  /** The message of the {@link IllegalStateException} when {@link #apply} changed nothing. */
  protected abstract String missing(R record);

  /**
   * Moves {@code record} from {@link BranchRecord#TRIED} to {@link Phase#settled()} and logs the
   * phase's line (xid, branch, business key).
   */
  protected abstract void settle(Phase phase, R record);
}
