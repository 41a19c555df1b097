package io.txcenter.tools.cli;

import io.txcenter.outbox.DeadLetters;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the demo shows of the mall's outbox: per message, which consumer group got it and after how
 * many attempts; the dead-letter queue; counters; commit-to-applied latency.
 */
public final class FanOutView {

  private final TopologyConfig config;
  private final PrintStream out;
  private final JdbcTemplate jdbc;
  private final DeadLetters deadLetters;

  FanOutView(TopologyConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
    this.jdbc = config.serverJdbc();
    this.deadLetters = DlqCommand.deadLetters(config);
  }

  void block(String group, String businessKey, String reason) {
    jdbc.update(
        "INSERT IGNORE INTO " + config.schemaOfSubscriber(group) + ".blocked_key VALUES (?, ?)",
        businessKey,
        reason);
  }

  void unblock(String group, String businessKey) {
    jdbc.update(
        "DELETE FROM " + config.schemaOfSubscriber(group) + ".blocked_key WHERE business_key = ?",
        businessKey);
  }

  int redriveAll() {
    return deadLetters.redriveAll();
  }

  /** Waits (bounded) until nothing is PREPARED, unfanned or pending in the mall's outbox. */
  void awaitSettled(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    String m = config.schema("mall");
    while (System.nanoTime() < deadline) {
      long busy =
          count(
                  "SELECT COUNT(*) FROM "
                      + m
                      + ".outbox_message WHERE status = 'PREPARED' OR (status = 'READY' AND"
                      + " fanned_out = 0)")
              + count("SELECT COUNT(*) FROM " + m + ".outbox_delivery WHERE status = 'PENDING'");
      if (busy == 0) {
        return;
      }
      try {
        Thread.sleep(200); // polling tables written by the relay process
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    out.println("  (still settling after " + bound.toSeconds() + " s)");
  }

  /** One line per message of business keys starting with {@code keyPrefix}. */
  void print(String keyPrefix) {
    String m = config.schema("mall");
    List<Map<String, Object>> messages =
        jdbc.queryForList(
            "SELECT id, business_key, tags, status, payload FROM "
                + m
                + ".outbox_message WHERE business_key LIKE ? ORDER BY id",
            keyPrefix + "%");
    for (Map<String, Object> message : messages) {
      String payload = (String) message.get("payload");
      String event = payload.replaceAll(".*\"event\":\"([A-Z_]+)\".*", "$1");
      List<String> groups = new ArrayList<>();
      for (Map<String, Object> d :
          jdbc.queryForList(
              "SELECT consumer_group, status, attempts FROM "
                  + m
                  + ".outbox_delivery WHERE message_pk = ? ORDER BY consumer_group",
              message.get("id"))) {
        groups.add(
            d.get("consumer_group")
                + ("DELIVERED".equals(d.get("status"))
                    ? (((Number) d.get("attempts")).intValue() > 1
                        ? "(after " + d.get("attempts") + " attempts)"
                        : "")
                    : "(" + d.get("status") + ")"));
      }
      out.printf(
          "  %-16s %-13s %-6s %-9s -> %s%n",
          message.get("business_key"),
          event,
          message.get("tags"),
          message.get("status"),
          groups.isEmpty() ? "nobody" : String.join(" ", groups));
    }
  }

  void printDeadLetters() {
    List<Map<String, Object>> open = deadLetters.open();
    out.printf("  %d open dead letters%n", open.size());
    for (Map<String, Object> row : open) {
      out.printf(
          "  id=%s group=%s key=%s attempts=%s error=%s%n",
          row.get("id"),
          row.get("consumer_group"),
          row.get("business_key"),
          row.get("attempts"),
          row.get("last_error"));
    }
  }

  /** Relay counters and the commit-to-applied latency of the events of {@code keyPrefix}. */
  void printCounters(String keyPrefix) {
    List<String> counters = new ArrayList<>();
    for (Map<String, Object> c :
        jdbc.queryForList(
            "SELECT name, value FROM " + config.schema("mall") + ".outbox_counter ORDER BY name")) {
      counters.add(c.get("name") + "=" + c.get("value"));
    }
    out.println("relay counters: " + String.join(" ", counters));
    List<Long> latencies = new ArrayList<>();
    for (String group : TopologyConfig.SUBSCRIBERS.keySet()) {
      latencies.addAll(
          jdbc.queryForList(
              "SELECT TIMESTAMPDIFF(MICROSECOND, ready_at, applied_at) DIV 1000 FROM "
                  + config.schemaOfSubscriber(group)
                  + ".accompaniment_event WHERE business_key LIKE ? AND ready_at IS NOT NULL",
              Long.class,
              keyPrefix + "%"));
    }
    if (!latencies.isEmpty()) {
      Collections.sort(latencies);
      out.printf(
          "commit-to-applied latency over %d applications: p50=%d ms p99=%d ms max=%d ms"
              + " (includes retries and the re-drive)%n",
          latencies.size(),
          percentile(latencies, 50),
          percentile(latencies, 99),
          latencies.get(latencies.size() - 1));
    }
  }

  public static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private long count(String sql) {
    return Objects.requireNonNull(jdbc.queryForObject(sql, Long.class));
  }
}
