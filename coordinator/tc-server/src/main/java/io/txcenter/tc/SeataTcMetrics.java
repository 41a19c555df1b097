package io.txcenter.tc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.seata.metrics.Measurement;
import io.seata.metrics.registry.Registry;
import io.seata.metrics.registry.RegistryFactory;
import io.seata.server.event.EventBusManager;
import io.seata.server.metrics.MetricsSubscriber;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seata's own TC metrics ({@code seata_transaction{role, meter, statistic, status, …}}:
 * transactions active, committed, rolled back, failed, their tps and times) on the process's
 * metrics endpoint.
 *
 * <p>Seata 2.0 collects them in its compact registry only when {@code metrics.enabled} is on, and
 * then serves them with its Prometheus exporter on a port of its own bound to every interface
 * (against the loopback rule, docs/architecture.md). So Seata's metrics stay off, and this does
 * what its {@code MetricsManager} would do without an exporter: it subscribes Seata's {@link
 * MetricsSubscriber} to the TC's event bus with the compact registry, and copies the registry's
 * measurements into Micrometer gauges every {@value #PERIOD_SECONDS} s. Gauges, because Seata
 * reports a counter's running count and a summary's tps and average of the last period as plain
 * numbers.
 */
final class SeataTcMetrics {

  static final int PERIOD_SECONDS = 5;

  /**
   * Every tag key Seata's TC metrics use (io.seata.metrics.IdConstants). Prometheus wants one set
   * of keys per name, so every series carries all of them, empty where Seata set none.
   */
  static final List<String> TAG_KEYS =
      List.of("role", "meter", "statistic", "status", "applicationId", "group", "name", "retry");

  private static final Logger log = LoggerFactory.getLogger(SeataTcMetrics.class);

  private final MeterRegistry registry;
  private final Registry seata;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

  private SeataTcMetrics(MeterRegistry registry, Registry seata) {
    this.registry = registry;
    this.seata = seata;
  }

  /** Starts collecting Seata's TC metrics and copying them into {@code registry}. */
  static void bind(MeterRegistry registry) {
    Registry seata = RegistryFactory.getInstance();
    if (seata == null) {
      log.warn("no Seata metrics registry (metrics.registryType): Seata's TC metrics are off");
      return;
    }
    EventBusManager.get().register(new MetricsSubscriber(seata));
    SeataTcMetrics bridge = new SeataTcMetrics(registry, seata);
    ScheduledExecutorService schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "txc-seata-metrics");
              thread.setDaemon(true);
              return thread;
            });
    schedule.scheduleWithFixedDelay(
        bridge::copyLogged, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  private void copyLogged() {
    try {
      copy();
    } catch (RuntimeException e) {
      log.warn("cannot copy Seata's TC metrics error={}", e.toString());
    }
  }

  /** Copies every measurement of Seata's registry into its gauge, registering new ones. */
  void copy() {
    for (Measurement measurement : seata.measure()) {
      Map<String, String> tags = new LinkedHashMap<>();
      TAG_KEYS.forEach(key -> tags.put(key, ""));
      measurement.getId().getTags().forEach(tag -> tags.put(tag.getKey(), tag.getValue()));
      if (tags.size() != TAG_KEYS.size()) {
        continue; // a tag key Seata did not use in 2.0.0: skipped rather than break the name
      }
      String name = measurement.getId().getName();
      String key = name + tags;
      values
          .computeIfAbsent(
              key,
              k -> {
                AtomicReference<Double> value = new AtomicReference<>(0.0);
                Tags micrometerTags = Tags.empty();
                for (Map.Entry<String, String> tag : tags.entrySet()) {
                  micrometerTags = micrometerTags.and(tag.getKey(), tag.getValue());
                }
                Gauge.builder(name, value, AtomicReference::get)
                    .description("Seata's TC metric " + name + ", copied every 5 s")
                    .tags(micrometerTags)
                    .strongReference(true)
                    .register(registry);
                return value;
              })
          .set(measurement.getValue());
    }
  }
}
