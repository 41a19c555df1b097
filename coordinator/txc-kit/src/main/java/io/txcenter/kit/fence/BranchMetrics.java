package io.txcenter.kit.fence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A participant's branch phases as the fence sees them, recorded on Micrometer's global registry
 * (exposed by the process's metrics endpoint; docs/operations.md): {@code
 * txc_branch_phases_total{action, phase, outcome}}, {@code txc_branch_phase_seconds{action, phase}}
 * and {@code txc_fence_events_total{action, event}}. Every TCC branch of every participant goes
 * through the fence, so a new participant is measured without code of its own.
 */
final class BranchMetrics {

  static final String TRY = "try";
  static final String CONFIRM = "confirm";
  static final String CANCEL = "cancel";

  /** The Try refused because its Cancel came first (the fence row is {@code suspended}). */
  static final String SUSPENSION_REFUSED = "suspension_refused";

  /** A Cancel without a Try: the fence wrote {@code suspended} and the Cancel did nothing. */
  static final String EMPTY_ROLLBACK = "empty_rollback";

  /** Phase two of a parked branch, refused without running ({@link FenceParking}). */
  static final String PARKED_REFUSED = "parked_refused";

  /** A branch whose phase two kept failing, parked by the participant ({@link FenceParking}). */
  static final String AUTO_PARKED = "auto_parked";

  /** A repeated Confirm or Cancel answered from the fence row without running the phase again. */
  static final String DUPLICATE_ABSORBED = "duplicate_absorbed";

  private BranchMetrics() {}

  static void phase(String action, String phase, boolean ok, long startNanos) {
    Counter.builder("txc.branch.phases")
        .description("TCC phases run by this participant, by action, phase and outcome")
        .tag("action", action)
        .tag("phase", phase)
        .tag("outcome", ok ? "ok" : "failed")
        .register(Metrics.globalRegistry)
        .increment();
    Timer.builder("txc.branch.phase")
        .description("time of a TCC phase in this participant, fence included")
        .tag("action", action)
        .tag("phase", phase)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(Metrics.globalRegistry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  static void event(String action, String event) {
    Counter.builder("txc.fence.events")
        .description(
            "fence outcomes other than a normal phase: empty rollback, refused suspension,"
                + " absorbed duplicate")
        .tag("action", action)
        .tag("event", event)
        .register(Metrics.globalRegistry)
        .increment();
  }
}
