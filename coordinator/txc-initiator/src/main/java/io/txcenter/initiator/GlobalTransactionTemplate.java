package io.txcenter.initiator;

import io.txcenter.kit.Settings;
import io.txcenter.kit.fence.FenceRetention;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.slf4j.Logger;

/**
 * One global transaction of an initiator (TM): begin, run the branches with the XID bound, then
 * commit, or roll back and hand the failure to the caller, every outcome typed by the caller's
 * {@link GlobalWork}.
 *
 * <p>Contract of {@link #execute}: a failure to begin (checked or unchecked) is thrown as the
 * caller's {@link GlobalWork#coordinatorUnavailable} error and nothing runs; a runtime exception of
 * {@link GlobalWork#run} rolls the transaction back, a rollback the TC does not acknowledge is
 * logged (not thrown), then {@link GlobalWork#failed} decides the result; otherwise the transaction
 * is committed, a commit the TC does not acknowledge is logged (not thrown: the TC owns the
 * outcome) and {@link GlobalWork#committed} decides the result. The XID this template bound is
 * unbound before {@code failed} or {@code committed} runs, and whatever the body throws. Log lines
 * carry the xid and the business key, on the caller's logger.
 *
 * <p>Seata's own {@code org.apache.seata.tm.api.TransactionalTemplate} is the model, but it would
 * change what the initiators do, so this wraps {@link GlobalTransaction} instead: it checks the
 * transaction's age before committing and rolls back on its own if the timeout has passed (here the
 * TC decides); it turns a commit whose status then reads heuristic or timed out into an error; it
 * joins a global transaction already bound to the thread (propagation {@code REQUIRED}) instead of
 * beginning a new one; a rollback failing unchecked replaces the business cause the caller needs;
 * and it always calls {@code GlobalTransactionContext.createNew()}, which a unit test cannot
 * replace.
 */
public final class GlobalTransactionTemplate {

  private final Logger log;
  private final int timeoutMillis;
  private final Supplier<GlobalTransaction> transactions;
  private final String rollbackNotAcknowledged;
  private final String commitNotAcknowledged;

  /**
   * A template beginning Seata's real transactions ({@link GlobalTransactionContext#createNew()}).
   *
   * @param log the caller's logger, for the lines this template writes
   * @param subject what a transaction is, first word of those lines ({@code order}, {@code
   *     payment})
   * @param keyName the log key of the business key ({@code order=…})
   * @param timeoutMillis the global transaction's timeout, enforced by the TC
   */
  public GlobalTransactionTemplate(Logger log, String subject, String keyName, int timeoutMillis) {
    this(log, subject, keyName, timeoutMillis, GlobalTransactionContext::createNew);
  }

  /** As above, with the transactions from {@code transactions} (a fake one in a unit test). */
  public GlobalTransactionTemplate(
      Logger log,
      String subject,
      String keyName,
      int timeoutMillis,
      Supplier<GlobalTransaction> transactions) {
    this.log = Objects.requireNonNull(log, "'log' must not be null");
    // the participants keep their fence rows for a time computed from the longest timeout
    // (FenceRetention): a longer one here could let a late Try outlive its branch's fence row
    long longest = FenceRetention.maxGlobalTimeoutMillis();
    if (timeoutMillis < 1 || timeoutMillis > longest) {
      throw new Settings.SettingException(
          FenceRetention.MAX_TIMEOUT_SETTING,
          "must be at least this initiator's timeout (" + subject + ", " + timeoutMillis + " ms)",
          String.valueOf(longest));
    }
    this.timeoutMillis = timeoutMillis;
    this.transactions = Objects.requireNonNull(transactions, "'transactions' must not be null");
    Objects.requireNonNull(subject, "'subject' must not be null");
    Objects.requireNonNull(keyName, "'keyName' must not be null");
    this.rollbackNotAcknowledged = subject + " rollback not acknowledged xid={} " + keyName + "={}";
    this.commitNotAcknowledged = subject + " commit not acknowledged xid={} " + keyName + "={}";
  }

  /**
   * Runs {@code work} as one new global transaction named {@code name} (see the class comment for
   * the contract).
   *
   * @param businessKey the business key of the transaction (an order, a payment), for the logs
   * @return what {@link GlobalWork#failed} or {@link GlobalWork#committed} returned
   */
  public <T> T execute(String name, String businessKey, GlobalWork<T> work) {
    GlobalTransaction tx = transactions.get();
    long start = System.nanoTime();
    try {
      tx.begin(timeoutMillis, name);
    } catch (TransactionException | RuntimeException e) {
      // Seata reports an unreachable coordinator unchecked (FrameworkException)
      GlobalMetrics.ended(name, GlobalMetrics.NOT_BEGUN, start);
      throw Objects.requireNonNull(work.coordinatorUnavailable(e), "coordinatorUnavailable");
    }
    GlobalMetrics.begun(name);
    String xid = tx.getXid();
    try {
      work.run(xid);
    } catch (RuntimeException cause) {
      String outcome = GlobalMetrics.ROLLED_BACK;
      try {
        tx.rollback();
      } catch (TransactionException | RuntimeException e) {
        // the TC times the transaction out and cancels its branches
        log.error(rollbackNotAcknowledged, xid, businessKey, e);
        outcome = GlobalMetrics.FAILED;
      }
      unbind(xid);
      GlobalMetrics.ended(name, outcome, start);
      return work.failed(xid, cause);
    } finally {
      unbind(xid);
    }
    Exception notAcknowledged = null;
    try {
      tx.commit();
    } catch (TransactionException | RuntimeException e) {
      // the coordinator owns the outcome now: it retries or times the transaction out
      log.error(commitNotAcknowledged, xid, businessKey, e);
      notAcknowledged = e;
    }
    GlobalMetrics.ended(
        name,
        notAcknowledged != null
            ? GlobalMetrics.FAILED
            : GlobalMetrics.afterCommit(tx.getLocalStatus()),
        start);
    return work.committed(xid, notAcknowledged);
  }

  /** Unbinds {@code xid} if it is still bound; Seata's own commit and rollback unbind it too. */
  private static void unbind(String xid) {
    if (xid != null && xid.equals(RootContext.getXID())) {
      RootContext.unbind();
    }
  }
}
