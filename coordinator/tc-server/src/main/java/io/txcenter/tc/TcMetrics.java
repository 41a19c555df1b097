package io.txcenter.tc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seata.core.model.GlobalStatus;
import io.seata.server.session.GlobalSession;
import io.seata.server.session.SessionHolder;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TC's own gauges, read from its session store: unfinished global sessions by status ({@code
 * txc_tc_global_sessions{status}}: one series per Seata {@link GlobalStatus}, 0 when none) and the
 * age of the oldest ({@code txc_tc_oldest_session_seconds}). They feed the in-doubt and
 * phase-two-retrying alerts (docs/operations.md). Why gauges of our own: Seata 2.0's metrics
 * exporter counts events and serves them on a port of its own that binds every interface; the
 * session store is what says what is still in doubt.
 *
 * <p>The gauges hold this object strongly (it lives nowhere else; Micrometer's default weak
 * reference lets it be collected, and the gauges then read NaN).
 *
 * <p>One read of the store serves every gauge of a scrape: the snapshot is kept for {@link
 * #SNAPSHOT_MILLIS} (in the db store a read is a query). With two TC nodes on one db store both
 * report the same sessions; the alert rules take the max.
 */
final class TcMetrics {

  static final long SNAPSHOT_MILLIS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(TcMetrics.class);

  private final LongSupplier clock;
  private volatile Snapshot snapshot = new Snapshot(new EnumMap<>(GlobalStatus.class), 0, 0);

  private record Snapshot(Map<GlobalStatus, Integer> byStatus, long oldestMillis, long takenAt) {}

  private TcMetrics(LongSupplier clock) {
    this.clock = clock;
  }

  /** Registers the gauges on {@code registry}. */
  static void bind(MeterRegistry registry) {
    TcMetrics metrics = new TcMetrics(System::currentTimeMillis);
    for (GlobalStatus status : GlobalStatus.values()) {
      Gauge.builder(
              "txc.tc.global.sessions", metrics, m -> m.current().byStatus.getOrDefault(status, 0))
          .tag("status", status.name())
          .description("unfinished global sessions in the TC's store, by status")
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("txc.tc.oldest.session.seconds", metrics, m -> m.current().oldestMillis / 1000.0)
        .description("age of the oldest unfinished global session, 0 when none")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  private Snapshot current() {
    Snapshot last = snapshot;
    long now = clock.getAsLong();
    if (now - last.takenAt < SNAPSHOT_MILLIS) {
      return last;
    }
    synchronized (this) {
      if (now - snapshot.takenAt < SNAPSHOT_MILLIS) {
        return snapshot;
      }
      snapshot = read(now);
      return snapshot;
    }
  }

  private Snapshot read(long now) {
    Map<GlobalStatus, Integer> byStatus = new EnumMap<>(GlobalStatus.class);
    long oldest = 0;
    try {
      Collection<GlobalSession> sessions = SessionHolder.getRootSessionManager().allSessions();
      for (GlobalSession session : sessions) {
        byStatus.merge(session.getStatus(), 1, Integer::sum);
        oldest = Math.max(oldest, now - session.getBeginTime());
      }
    } catch (RuntimeException e) {
      // a store that cannot be read (the db down) keeps the last figures; the scrape still answers
      log.warn("cannot read the TC's sessions for metrics error={}", e.toString());
      return new Snapshot(snapshot.byStatus, snapshot.oldestMillis, now);
    }
    return new Snapshot(byStatus, oldest, now);
  }
}
