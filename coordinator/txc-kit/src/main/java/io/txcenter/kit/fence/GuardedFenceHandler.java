package io.txcenter.kit.fence;

import io.txcenter.kit.FenceErrors;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.seata.common.Constants;
import org.apache.seata.common.exception.ExceptionUtil;
import org.apache.seata.common.exception.SkipCallbackWrapperException;
import org.apache.seata.common.executor.Callback;
import org.apache.seata.integration.tx.api.fence.DefaultCommonFenceHandler;
import org.apache.seata.integration.tx.api.fence.FenceHandler;
import org.apache.seata.integration.tx.api.fence.constant.CommonFenceConstant;
import org.apache.seata.integration.tx.api.fence.store.CommonFenceDO;
import org.apache.seata.integration.tx.api.fence.store.CommonFenceStore;
import org.apache.seata.integration.tx.api.fence.store.db.CommonFenceStoreDataBaseDAO;
import org.apache.seata.integration.tx.api.remoting.TwoPhaseResult;
import org.apache.seata.rm.fence.SpringFenceHandler;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextUtil;
import org.apache.seata.rm.tcc.utils.MethodUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seata's TCC fence on Seata's own {@code tcc_fence_log}, with Confirm and Cancel one statement
 * shorter on their common path (issue 16, lever 2).
 *
 * <p>Why our own: Seata's {@link SpringFenceHandler} makes every Confirm and Cancel read the fence
 * row ({@code SELECT ... FOR UPDATE}) and then move it ({@code UPDATE ... WHERE status = tried}).
 * When the row is {@code tried}, which is every normal phase two, the guarded update alone decides
 * it: it locks the row and changes it exactly when the read would have led to it. So {@link
 * #commitFence} and {@link #rollbackFence} first run, in one local transaction, Seata's own guarded
 * update ({@link CommonFenceStore#updateCommonFenceDO}, {@code tried} to {@code committed} or
 * {@code rollbacked}) and, if it changed the row, the phase method, with Seata's handling of its
 * result: {@code false} (or a failed {@link TwoPhaseResult}) rolls the transaction back, a thrown
 * error is unwrapped and wrapped in {@link SkipCallbackWrapperException}, the isolation comes from
 * the phase method's {@code @Transactional} ({@link
 * MethodUtils#getTransactionalAnnotationByMethod}) or the action context, as Seata chooses it.
 *
 * <p>What stays Seata's: if the update changed no row, that empty transaction ends and the phase
 * runs Seata's whole algorithm ({@link SpringFenceHandler#commitFence}, {@link
 * SpringFenceHandler#rollbackFence}) in a new one, so a missing row (Confirm without Try fails, the
 * empty rollback inserts {@code suspended}), a duplicate phase, Cancel after Confirm and Confirm
 * after Cancel get exactly Seata's answers. The Try ({@code prepareFence}, with its suspension
 * handling and the deletion of refused rows) and the clean task ({@code deleteFenceByDate}) are
 * Seata's, delegated. The table, its states and its SQL are Seata's, so the console, the clean
 * task, the relay's check-back and the audit read it as before.
 */
public final class GuardedFenceHandler implements FenceHandler {

  private static final Logger log = LoggerFactory.getLogger(GuardedFenceHandler.class);

  /** {@link #fenceStatus}: there is no fence row. */
  private static final int NO_ROW = -1;

  /** {@link #fenceStatus}: the row could not be read. */
  private static final int UNREAD = -2;

  private final FenceHandler seata;
  private final DataSource dataSource;
  private final PlatformTransactionManager transactionManager;
  private final TransactionTemplate defaultTemplate;
  private final CommonFenceStore store;
  private final java.time.Duration parkAfter;

  /**
   * When each branch's phase two first failed in a row, by {@code xid#branchId}: kept in memory (a
   * restart releases what this participant parked, so it may forget too), cleared by a success or a
   * park, and bounded.
   */
  private final Map<String, Long> firstFailure = new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.function.LongSupplier clock;

  /** Failing branches tracked at most; beyond it a new one is not parked automatically. */
  static final int TRACKED_FAILURES = 10_000;

  GuardedFenceHandler(
      FenceHandler seata, DataSource dataSource, PlatformTransactionManager transactionManager) {
    this(seata, dataSource, transactionManager, System::currentTimeMillis);
  }

  /** As above, with the clock that times failing phases (a test's). */
  GuardedFenceHandler(
      FenceHandler seata,
      DataSource dataSource,
      PlatformTransactionManager transactionManager,
      java.util.function.LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seata = Objects.requireNonNull(seata, "seata");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
    this.defaultTemplate = new TransactionTemplate(transactionManager);
    this.store = CommonFenceStoreDataBaseDAO.getInstance();
    this.parkAfter = FenceParking.parkAfterFromSettings();
  }

  /**
   * Makes this handler the process's fence ({@link DefaultCommonFenceHandler}). Call it after
   * Seata's {@code SpringFenceConfig} is set up on the same data source and transaction manager:
   * loading {@link SpringFenceHandler} installs Seata's handler, which this one replaces and
   * delegates to.
   */
  public static GuardedFenceHandler install(
      DataSource dataSource, PlatformTransactionManager transactionManager) {
    GuardedFenceHandler handler =
        new GuardedFenceHandler(new SpringFenceHandler(), dataSource, transactionManager);
    DefaultCommonFenceHandler.get().setFenceHandler(handler);
    return handler;
  }

  @Override
  public Object prepareFence(
      String xid, Long branchId, String actionName, Callback<Object> targetCallback) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      Object result = seata.prepareFence(xid, branchId, actionName, targetCallback);
      ok = true;
      return result;
    } catch (RuntimeException e) {
      // from the error, not the row: Seata queues the refused row for deletion at once
      if (FenceErrors.isSuspended(e)) {
        BranchMetrics.event(actionName, BranchMetrics.SUSPENSION_REFUSED);
      }
      throw e;
    } finally {
      BranchMetrics.phase(actionName, BranchMetrics.TRY, ok, start);
    }
  }

  @Override
  public boolean commitFence(
      Method commitMethod, Object targetTCCBean, String xid, Long branchId, Object[] args) {
    long start = System.nanoTime();
    String action = actionName(args);
    boolean ok = false;
    boolean ranOnATriedRow = true;
    try {
      Boolean settled =
          settleTried(
              commitMethod,
              targetTCCBean,
              xid,
              branchId,
              args,
              CommonFenceConstant.STATUS_COMMITTED);
      ranOnATriedRow = settled != null;
      if (settled == null) {
        // off the common path: a duplicate Confirm, a Confirm without Try (Seata refuses it), or
        // a parked branch (refused here: Seata's handler would settle any status it does not know)
        int status = settledElsewhereOrParked(action, xid, branchId);
        if (status == CommonFenceConstant.STATUS_COMMITTED) {
          BranchMetrics.event(action, BranchMetrics.DUPLICATE_ABSORBED);
        }
        settled = seata.commitFence(commitMethod, targetTCCBean, xid, branchId, args);
      }
      ok = settled;
      return settled;
    } finally {
      BranchMetrics.phase(action, BranchMetrics.CONFIRM, ok, start);
      afterPhaseTwo(ok, ranOnATriedRow, action, xid, branchId);
    }
  }

  @Override
  public boolean rollbackFence(
      Method rollbackMethod,
      Object targetTCCBean,
      String xid,
      Long branchId,
      Object[] args,
      String actionName) {
    long start = System.nanoTime();
    boolean ok = false;
    boolean ranOnATriedRow = true;
    try {
      Boolean settled =
          settleTried(
              rollbackMethod,
              targetTCCBean,
              xid,
              branchId,
              args,
              CommonFenceConstant.STATUS_ROLLBACKED);
      ranOnATriedRow = settled != null;
      if (settled == null) {
        // off the common path: no row (an empty rollback: Seata writes suspended), a duplicate,
        // or a parked branch (refused)
        int status = settledElsewhereOrParked(actionName, xid, branchId);
        settled =
            seata.rollbackFence(rollbackMethod, targetTCCBean, xid, branchId, args, actionName);
        if (status == NO_ROW && settled) {
          BranchMetrics.event(actionName, BranchMetrics.EMPTY_ROLLBACK);
        } else if (status == CommonFenceConstant.STATUS_ROLLBACKED
            || status == CommonFenceConstant.STATUS_SUSPENDED) {
          BranchMetrics.event(actionName, BranchMetrics.DUPLICATE_ABSORBED);
        }
      }
      ok = settled;
      return settled;
    } finally {
      BranchMetrics.phase(actionName, BranchMetrics.CANCEL, ok, start);
      afterPhaseTwo(ok, ranOnATriedRow, actionName, xid, branchId);
    }
  }

  /**
   * Times a branch's failing phase two: the first failure of a run of failures on its {@code tried}
   * row is noted, a success forgets it, and a failure {@code txc.fence.park-after} or more after
   * the first parks the branch ({@link FenceParking#STATUS_AUTO_PARKED}), so that the TC's retries
   * stop running a phase that keeps failing; logged as an ALERT and counted ({@code
   * txc_fence_events_total{event="auto_parked"}}, alert TxcBranchParked). The common path pays one
   * map-emptiness check; a row that changed meanwhile is left alone.
   */
  private void afterPhaseTwo(
      boolean ok, boolean ranOnATriedRow, String action, String xid, Long branchId) {
    if (parkAfter.isZero() || (ok && firstFailure.isEmpty())) {
      return;
    }
    String key = xid + "#" + branchId;
    if (ok || !ranOnATriedRow) {
      firstFailure.remove(key);
      return;
    }
    long now = clock.getAsLong();
    Long first = firstFailure.get(key);
    if (first == null) {
      if (firstFailure.size() < TRACKED_FAILURES) {
        firstFailure.put(key, now);
      }
      return;
    }
    if (now - first < parkAfter.toMillis()) {
      return;
    }
    try {
      int parked =
          new org.springframework.jdbc.core.JdbcTemplate(dataSource)
              .update(
                  "UPDATE tcc_fence_log SET status = ?, gmt_modified = ?"
                      + " WHERE xid = ? AND branch_id = ? AND status = ?",
                  FenceParking.STATUS_AUTO_PARKED,
                  new java.sql.Timestamp(System.currentTimeMillis()),
                  xid,
                  branchId,
                  CommonFenceConstant.STATUS_TRIED);
      firstFailure.remove(key);
      if (parked == 1) {
        BranchMetrics.event(action, BranchMetrics.AUTO_PARKED);
        log.warn(
            "ALERT branch parked: phase two kept failing for {} s (park-after {}) xid={} branch={}"
                + " action={}; released when this participant starts again, or by bin/txc tx"
                + " retry",
            (now - first) / 1000,
            parkAfter,
            xid,
            branchId,
            action);
      }
    } catch (RuntimeException e) {
      log.warn("cannot park xid={} branch={} error={}", xid, branchId, e.toString());
    }
  }

  /**
   * The fence row's status off the common path; a parked branch, or a row that cannot be read (it
   * might be parked), refuses the phase so that the TC retries it later.
   */
  private int settledElsewhereOrParked(String action, String xid, Long branchId) {
    int status = fenceStatus(xid, branchId);
    if (FenceParking.isParked(status)) {
      BranchMetrics.event(action, BranchMetrics.PARKED_REFUSED);
      throw new FenceParking.BranchParkedException(xid, branchId);
    }
    if (status == UNREAD) {
      throw new IllegalStateException(
          "cannot read the fence row xid=" + xid + " branch=" + branchId + "; the TC retries");
    }
    return status;
  }

  /** The fence row's status, read outside any transaction ({@link #NO_ROW} when none). */
  private int fenceStatus(String xid, Long branchId) {
    try (Connection conn = dataSource.getConnection()) {
      CommonFenceDO row = store.queryCommonFenceDO(conn, xid, branchId);
      return row == null || row.getStatus() == null ? NO_ROW : row.getStatus();
    } catch (Exception e) {
      // the caller refuses the phase: the TC retries it
      log.warn("cannot read the fence row xid={} branch={} error={}", xid, branchId, e.toString());
      return UNREAD;
    }
  }

  /** The action of a phase two, from its {@link BusinessActionContext} argument. */
  private static String actionName(Object[] args) {
    if (args != null) {
      for (Object arg : args) {
        if (arg instanceof BusinessActionContext context && context.getActionName() != null) {
          return context.getActionName();
        }
      }
    }
    return "unknown";
  }

  @Override
  public int deleteFenceByDate(Date datetime) {
    return seata.deleteFenceByDate(datetime);
  }

  /**
   * The fast path: moves a {@code tried} fence row to {@code status} and runs the phase method in
   * the same local transaction. {@code null} when the update changed no row (no row, or not {@code
   * tried}); the caller then runs Seata's algorithm.
   */
  private Boolean settleTried(
      Method method, Object bean, String xid, Long branchId, Object[] args, int status) {
    TransactionTemplate template =
        templateFor(MethodUtils.getTransactionalAnnotationByMethod(method, bean));
    return template.execute(
        transaction -> {
          try {
            Connection conn = DataSourceUtils.getConnection(dataSource);
            if (!store.updateCommonFenceDO(
                conn, xid, branchId, status, CommonFenceConstant.STATUS_TRIED)) {
              return null;
            }
            boolean result = invoke(method, bean, args, transaction);
            log.info(
                "fence {} result={} xid={} branch={}",
                status == CommonFenceConstant.STATUS_COMMITTED ? "committed" : "rollbacked",
                result,
                xid,
                branchId);
            return result;
          } catch (Throwable t) {
            transaction.setRollbackOnly();
            throw new SkipCallbackWrapperException(t);
          }
        });
  }

  /** Seata's handling of the phase method's result ({@code updateStatusAndInvokeTargetMethod}). */
  private static boolean invoke(
      Method method, Object bean, Object[] args, TransactionStatus transaction) throws Throwable {
    try {
      Object returned = method.invoke(bean, args);
      if (returned == null) {
        return true;
      }
      boolean result =
          returned instanceof TwoPhaseResult twoPhase ? twoPhase.isSuccess() : (boolean) returned;
      if (!result) {
        // the phase refused: its writes and the fence's update roll back, and the TC retries
        transaction.setRollbackOnly();
      }
      return result;
    } catch (Exception e) {
      throw ExceptionUtil.unwrap(e);
    }
  }

  /** The local transaction's definition, chosen as {@code SpringFenceHandler} chooses it. */
  private TransactionTemplate templateFor(Transactional transactional) {
    if (transactional != null) {
      TransactionTemplate template = new TransactionTemplate(transactionManager);
      template.setIsolationLevel(transactional.isolation().value());
      return template;
    }
    BusinessActionContext context = BusinessActionContextUtil.getContext();
    Map<String, Object> actionContext = context == null ? null : context.getActionContext();
    Object isolation = actionContext == null ? null : actionContext.get(Constants.TX_ISOLATION);
    if (isolation == null) {
      return defaultTemplate;
    }
    TransactionTemplate template = new TransactionTemplate(transactionManager);
    template.setIsolationLevel(((Number) isolation).intValue());
    return template;
  }
}
