package io.txcenter.kit.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCC action that keeps one {@link BranchRecord} per branch. Confirm and Cancel are one
 * algorithm. Common path, without reading the record: build the record the Try made from the action
 * context ({@link #recordFromContext}: the values of the Try's parameters annotated {@code
 * BusinessActionContextParameter}, as Seata hands them back) and settle it with one guarded update
 * ({@link #settleIfTried}: {@link BranchRecord#TRIED} to settled only if the row's every business
 * field equals the context's); if that changed the row, apply the phase's guarded update. Otherwise
 * (no context record, or a row that is absent, settled already or disagrees with the context): find
 * the branch's record {@code FOR UPDATE}; if there is none (the Try never ran) or it is no longer
 * {@link BranchRecord#TRIED} (settled already), do nothing and return {@code true}; else apply the
 * phase's guarded update from the row and mark the record settled. On either path the phase's
 * update must change its one row ({@link IllegalStateException} otherwise, so the fence's
 * transaction rolls back and the TC retries), and the phase's line is logged. Runs in Seata's fence
 * local transaction, whose row makes a repeated phase a no-op before it gets here; the record's
 * status makes it idempotent on its own too. The record is only ever settled as it is in the table:
 * a context that disagrees with the row never matches the settle's guard.
 *
 * <p>A participant writes three hooks: {@link #findForUpdate}, {@link #apply} and {@link
 * #markSettled}; and, to skip the read, two more: {@link #recordFromContext} and {@link
 * #settleIfTried} (by default there is no context record and every phase reads the row). The line
 * logged is {@code <action class> CONFIRMED|CANCELLED <record>}, the record as it was {@code
 * TRIED}: a record is a Java record, so it names its branch and business key.
 *
 * @param <R> the participant's branch record
 */
public abstract class BranchRecordTcc<R extends BranchRecord> extends SecondPhaseTcc {

  private final Logger log = LoggerFactory.getLogger(getClass());

  @Override
  protected boolean complete(BusinessActionContext context, Phase phase) {
    R expected = expectedRecord(context);
    if (expected != null && settleIfTried(expected, phase.settled())) {
      applyOrFail(phase, expected);
      log.info("{} {}", phase.settled(), expected);
      return true;
    }
    R record = findForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !BranchRecord.TRIED.equals(record.status())) {
      return true;
    }
    applyOrFail(phase, record);
    markSettled(record, phase.settled());
    log.info("{} {}", phase.settled(), record);
    return true;
  }

  private void applyOrFail(Phase phase, R record) {
    if (!apply(phase, record)) {
      throw new IllegalStateException(
          "nothing left to " + phase.name().toLowerCase() + " for " + record);
    }
  }

  /** The context's record, checked to name the context's branch, or {@code null} (read the row). */
  private R expectedRecord(BusinessActionContext context) {
    R expected;
    try {
      expected = recordFromContext(context);
    } catch (MissingContextValue e) {
      return null;
    } catch (RuntimeException e) {
      // a value Seata could not convert: the row decides
      log.warn(
          "action context unreadable, reading the record xid={} branch={} error={}",
          context.getXid(),
          context.getBranchId(),
          e.toString());
      return null;
    }
    if (expected == null) {
      return null;
    }
    if (!expected.xid().equals(context.getXid())
        || expected.branchId() != context.getBranchId()
        || !BranchRecord.TRIED.equals(expected.status())) {
      throw new IllegalStateException(
          "the record from the context must be the branch's TRIED record, xid="
              + context.getXid()
              + " branch="
              + context.getBranchId()
              + ", was "
              + expected);
    }
    return expected;
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

  /**
   * The record the branch's Try made, as the action context carries it back: the context's xid and
   * branch id, status {@link BranchRecord#TRIED}, and the business fields from the values of the
   * Try's parameters annotated {@code BusinessActionContextParameter}, read with {@link
   * #contextValue} (which ends this hook when a value is missing, so the row is read). {@code null}
   * when the participant does not settle from the context: the default, so every phase reads the
   * row.
   */
  protected R recordFromContext(BusinessActionContext context) {
    return null;
  }

  /**
   * Moves the branch's record from {@link BranchRecord#TRIED} to {@code status} only if each of its
   * business fields equals {@code expected}'s (as the database compares them, like every guarded
   * update of the phase): one guarded {@code UPDATE ... WHERE xid AND branch_id AND status =
   * 'TRIED' AND <every business field>}. {@code true} if it changed the row; {@code false} (the row
   * is absent, settled already or disagrees) makes the phase read the row. Settling to {@code
   * CONFIRMED} writes what {@link #markSettled} writes. Required with {@link #recordFromContext};
   * the default changes nothing and returns {@code false}.
   */
  protected boolean settleIfTried(R expected, String status) {
    return false;
  }

  /**
   * The action context's value {@code key} as {@code type} ({@link
   * BusinessActionContext#getActionContext(String, Class)}: after the round trip through the TC a
   * number may come back as another type, a {@code long} as {@code Integer}, and is converted); a
   * missing value ends {@link #recordFromContext}, and the phase reads the row.
   */
  protected static <T> T contextValue(BusinessActionContext context, String key, Class<T> type) {
    T value = context.getActionContext() == null ? null : context.getActionContext(key, type);
    if (value == null) {
      throw MissingContextValue.INSTANCE;
    }
    return value;
  }

  /** A value {@link #recordFromContext} needs is not in the context: read the row instead. */
  private static final class MissingContextValue extends RuntimeException {
    private static final MissingContextValue INSTANCE = new MissingContextValue();

    private MissingContextValue() {
      super("missing action context value", null, false, false);
    }
  }
}
