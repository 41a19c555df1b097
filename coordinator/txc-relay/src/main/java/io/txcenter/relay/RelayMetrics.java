package io.txcenter.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.txcenter.metrics.CachedReading;
import io.txcenter.outbox.OutboxDeliveryMapper;
import io.txcenter.outbox.OutboxDeliveryMapper.Backlog;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay's metrics on Micrometer's global registry (docs/operations.md): counters of fan-outs,
 * deliveries by group and outcome and check-backs by outcome, kept by the relay that does the work;
 * gauges of the outbox's backlog by state ({@code txc_outbox_messages}, {@code
 * txc_outbox_oldest_seconds}) and of leadership ({@code txc_relay_leader}), reported by every
 * relay, leader or standby, so the backlog is seen while no relay leads.
 *
 * <p>The gauges hold their state object strongly: it lives nowhere else, and Micrometer's default
 * weak reference lets it be collected, after which a gauge reads NaN.
 *
 * <p>The backlog is one query ({@link OutboxDeliveryMapper#backlog}) for all the gauges of a
 * scrape, kept a second ({@link CachedReading}); a database that cannot be read keeps the last
 * figures.
 */
final class RelayMetrics {

  static final List<String> STATES = List.of("prepared", "ready", "pending", "dead");

  private static final Logger log = LoggerFactory.getLogger(RelayMetrics.class);

  private RelayMetrics() {}

  /** Registers the backlog and leadership gauges of {@code outbox}. */
  static void bind(String outbox, OutboxDeliveryMapper store, BooleanSupplier leading) {
    CachedReading<Map<String, Backlog>> backlog =
        new CachedReading<>(
            Duration.ofSeconds(1),
            () -> {
              Map<String, Backlog> rows = new HashMap<>();
              store.backlog().forEach(b -> rows.put(b.state(), b));
              return rows;
            },
            Map.of(),
            e ->
                log.warn(
                    "cannot read the outbox backlog outbox={} error={}", outbox, e.toString()));
    for (String state : STATES) {
      Gauge.builder("txc.outbox.messages", backlog, b -> row(b, state).messages())
          .description("outbox rows by state (pending, dead: deliveries)")
          .tag("outbox", outbox)
          .tag("state", state)
          .strongReference(true)
          .register(Metrics.globalRegistry);
      if (!state.equals("dead")) {
        Gauge.builder("txc.outbox.oldest.seconds", backlog, b -> row(b, state).oldestSeconds())
            .description("age of the oldest outbox row in the state (pending: the oldest due)")
            .tag("outbox", outbox)
            .tag("state", state)
            .strongReference(true)
            .register(Metrics.globalRegistry);
      }
    }
    Gauge.builder("txc.relay.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this relay leads the outbox")
        .tag("outbox", outbox)
        .strongReference(true)
        .register(Metrics.globalRegistry);
  }

  private static Backlog row(CachedReading<Map<String, Backlog>> backlog, String state) {
    return backlog.get().getOrDefault(state, new Backlog(state, 0, 0));
  }

  static void fannedOut(String outbox) {
    Counter.builder("txc.outbox.fanouts")
        .description("messages fanned out to their consumer groups")
        .tag("outbox", outbox)
        .register(Metrics.globalRegistry)
        .increment();
  }

  /** {@code outcome}: delivered, retried, dead. */
  static void delivery(String outbox, String group, String outcome) {
    Counter.builder("txc.outbox.deliveries")
        .description("delivery attempts by consumer group and outcome")
        .tag("outbox", outbox)
        .tag("group", group)
        .tag("outcome", outcome)
        .register(Metrics.globalRegistry)
        .increment();
  }

  /** {@code outcome}: committed, rolled_back, unknown (the check-back waits). */
  static void checkBack(String outbox, String outcome) {
    Counter.builder("txc.outbox.checkbacks")
        .description("check-backs of prepared branches past their immunity, by outcome")
        .tag("outbox", outbox)
        .tag("outcome", outcome)
        .register(Metrics.globalRegistry)
        .increment();
  }

  /**
   * A write of this relay found its leader epoch gone: another relay leads ({@link LeaderEpoch}).
   */
  static void fenced(String outbox) {
    Counter.builder("txc.relay.fenced")
        .description("writes refused because another relay took the outbox's leader epoch")
        .tag("outbox", outbox)
        .register(Metrics.globalRegistry)
        .increment();
  }
}
