package io.txcenter.initiator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.seata.core.model.GlobalStatus;

/**
 * An initiator's global transactions, recorded on Micrometer's global registry (exposed by the
 * process's metrics endpoint; docs/operations.md): {@code txc_global_transactions_total{name,
 * outcome}} (begun, committed, rolled_back, timed_out, failed: the TC did not acknowledge the end,
 * not_begun: the TC refused or could not be reached) and {@code
 * txc_global_transaction_seconds{name, outcome}} from begin to the end's answer.
 */
final class GlobalMetrics {

  static final String BEGUN = "begun";
  static final String COMMITTED = "committed";
  static final String ROLLED_BACK = "rolled_back";
  static final String TIMED_OUT = "timed_out";
  static final String FAILED = "failed";
  static final String NOT_BEGUN = "not_begun";

  private GlobalMetrics() {}

  static void begun(String name) {
    counter(name, BEGUN).increment();
  }

  static void ended(String name, String outcome, long startNanos) {
    counter(name, outcome).increment();
    Timer.builder("txc.global.transaction")
        .description("a global transaction from begin to the coordinator's answer to its end")
        .tag("name", name)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(Metrics.globalRegistry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** The outcome of an acknowledged commit, from the status the TC answered. */
  static String afterCommit(GlobalStatus status) {
    if (status == null) {
      return FAILED;
    }
    return switch (status) {
      case Committed, Committing, CommitRetrying, AsyncCommitting -> COMMITTED;
      case TimeoutRollbacking, TimeoutRollbacked, TimeoutRollbackRetrying, TimeoutRollbackFailed ->
          TIMED_OUT;
      case Rollbacking, Rollbacked, RollbackRetrying, RollbackFailed -> ROLLED_BACK;
      default -> FAILED;
    };
  }

  private static Counter counter(String name, String outcome) {
    return Counter.builder("txc.global.transactions")
        .description("global transactions of this initiator, by name and outcome")
        .tag("name", name)
        .tag("outcome", outcome)
        .register(Metrics.globalRegistry);
  }
}
