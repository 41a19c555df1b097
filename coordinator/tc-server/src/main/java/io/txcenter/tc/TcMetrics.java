package io.txcenter.tc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seata.core.model.GlobalStatus;
import io.seata.server.session.GlobalSession;
import io.seata.server.session.SessionHolder;
import io.txcenter.metrics.CachedReading;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
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
 * <p>One read of the store serves every gauge of a scrape: the reading is kept a second ({@link
 * CachedReading}; in the db store a read is a query), and a store that cannot be read keeps the
 * last figures. With two TC nodes on one db store both report the same sessions; the alert rules
 * take the max.
 */
final class TcMetrics {

  private static final Logger log = LoggerFactory.getLogger(TcMetrics.class);

  private record Snapshot(Map<GlobalStatus, Integer> byStatus, long oldestMillis) {}

  private TcMetrics() {}

  /** Registers the gauges on {@code registry}. */
  static void bind(MeterRegistry registry) {
    CachedReading<Snapshot> sessions =
        new CachedReading<>(
            Duration.ofSeconds(1),
            TcMetrics::read,
            new Snapshot(Map.of(), 0),
            e -> log.warn("cannot read the TC's sessions for metrics error={}", e.toString()));
    for (GlobalStatus status : GlobalStatus.values()) {
      Gauge.builder(
              "txc.tc.global.sessions", sessions, s -> s.get().byStatus().getOrDefault(status, 0))
          .tag("status", status.name())
          .description("unfinished global sessions in the TC's store, by status")
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("txc.tc.oldest.session.seconds", sessions, s -> s.get().oldestMillis() / 1000.0)
        .description("age of the oldest unfinished global session, 0 when none")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  private static Snapshot read() {
    long now = System.currentTimeMillis();
    Map<GlobalStatus, Integer> byStatus = new EnumMap<>(GlobalStatus.class);
    long oldest = 0;
    Collection<GlobalSession> sessions = SessionHolder.getRootSessionManager().allSessions();
    for (GlobalSession session : sessions) {
      byStatus.merge(session.getStatus(), 1, Integer::sum);
      oldest = Math.max(oldest, now - session.getBeginTime());
    }
    return new Snapshot(byStatus, oldest);
  }
}
