package io.txcenter.kit.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCC action that keeps one {@link BranchRecord} per branch. Confirm and Cancel are one
 * algorithm: find the branch's record {@code FOR UPDATE}; if there is none (the Try never ran) or
 * it is no longer {@link BranchRecord#TRIED} (settled already), do nothing and return {@code true};
 * else apply the phase's guarded update, which must change its one row ({@link
 * IllegalStateException} otherwise, so the fence's transaction rolls back and the TC retries), mark
 * the record settled and log the phase's line. Runs in Seata's fence local transaction, whose row
 * makes a repeated phase a no-op before it gets here; the record's status makes it idempotent on
 * its own too.
 *
 * <p>A participant writes three hooks: {@link #findForUpdate}, {@link #apply} and {@link
 * #markSettled}. The line logged is {@code <action class> CONFIRMED|CANCELLED <record>}: a record
 * is a Java record, so it names its branch and business key.
 *
 * @param <R> the participant's branch record
 */
public abstract class BranchRecordTcc<R extends BranchRecord> extends SecondPhaseTcc {

  private final Logger log = LoggerFactory.getLogger(getClass());

  @Override
  protected boolean complete(BusinessActionContext context, Phase phase) {
    R record = findForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !BranchRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (!apply(phase, record)) {
      throw new IllegalStateException(
          "nothing left to " + phase.name().toLowerCase() + " for " + record);
    }
    markSettled(record, phase.settled());
    log.info("{} {}", phase.settled(), record);
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

  /**
   * Moves {@code record} from {@link BranchRecord#TRIED} to {@code status} ({@link
   * BranchRecord#CONFIRMED} or {@link BranchRecord#CANCELLED}).
   */
  protected abstract void markSettled(R record, String status);
}
