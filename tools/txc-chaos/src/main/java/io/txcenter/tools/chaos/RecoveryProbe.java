package io.txcenter.tools.chaos;

import io.txcenter.tools.topology.TopologyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Measures a fault's recovery: snapshots what the victim was part of when it struck ({@link
 * #snapshot}) and, once it is back, polls until all of it reached a final state ({@link #track}).
 * Every query goes to the database, which a fault may have killed: a failed poll is tried again at
 * the next, and a snapshot the strike could not take (the database down) is taken once it is back
 * ({@link #track}): nothing in the database changes while it is down.
 */
final class RecoveryProbe {

  private static final int FENCE_TRIED = 1;
  private static final long POLL_MS = 200;

  private final TopologyConfig config;
  private final JdbcTemplate jdbc;
  private final List<Fault> open = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chaos-recovery-probe");
            t.setDaemon(true);
            return t;
          });

  RecoveryProbe(TopologyConfig config) {
    this.config = config;
    this.jdbc = config.serverJdbc();
    poller.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * What the victim was part of: a set of open items, each kind with the query that counts how many
   * of them are still open ("settled" is "every count is zero") and the query that names them (one
   * text row each), for a fault that never settles.
   */
  record Pending(int size, List<Open> open) {}

  /**
   * One kind of open item: {@code rows}, a {@code FROM … WHERE …} clause, and {@code label}, a text
   * expression naming one of them; its count and its listing are over the same rows.
   */
  record Open(String label, String rows) {
    String countSql() {
      return "SELECT COUNT(*)" + rows;
    }

    String itemsSql() {
      return "SELECT " + label + rows;
    }
  }

  /** Taken just before the strike; throws when the database cannot be read. */
  Pending snapshot(Fault fault) {
    Victim v = fault.victim;
    return switch (v.probe()) {
      case BRANCHES -> branchesOf(v.process(), v.schema());
      case SESSIONS -> everyOpenSession();
      case OUTBOXES -> undelivered(v.outboxes(), null);
      case DELIVERIES -> undelivered(v.outboxes(), v.group());
    };
  }

  /**
   * Starts polling a victim's pending items once it is back; a subscriber adds what queued
   * meanwhile. A snapshot the strike could not take is taken now, waiting up to {@link
   * #SNAPSHOT_WAIT} for the database.
   */
  void track(Fault fault) {
    Victim v = fault.victim;
    if (fault.pending == null) {
      Optional<Pending> late = retrying(() -> snapshot(fault));
      fault.pending = late.orElse(new Pending(0, List.of()));
      if (late.isEmpty()) {
        fault.snapshotNote = "none: the database did not answer within " + SNAPSHOT_WAIT;
      }
    }
    if (v.probe() == Victim.Probe.DELIVERIES) {
      Pending later =
          retrying(() -> undelivered(v.outboxes(), v.group())).orElse(new Pending(0, List.of()));
      List<Open> queries = new ArrayList<>(fault.pending.open());
      queries.addAll(later.open());
      fault.pending = new Pending(fault.pending.size() + later.size(), queries);
    }
    open.add(fault);
  }

  /** How long {@link #track} waits for the database to take a snapshot. */
  static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(120);

  private static <T> Optional<T> retrying(Supplier<T> query) {
    long deadline = System.currentTimeMillis() + SNAPSHOT_WAIT.toMillis();
    while (true) {
      try {
        return Optional.of(query.get());
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() >= deadline) {
          return Optional.empty();
        }
        ChaosCommand.pause(Duration.ofMillis(500)); // the database is restarting
      }
    }
  }

  /**
   * Waits (bounded) for every tracked fault to settle; faults still open keep settledAtMs = -1 and
   * get {@link Fault#stillOpen}: up to {@link #NAMED} of their items, or why they cannot be read.
   */
  void settleAll(Duration bound) {
    long deadline = System.currentTimeMillis() + bound.toMillis();
    while (!open.isEmpty() && System.currentTimeMillis() < deadline) {
      ChaosCommand.pause(Duration.ofMillis(POLL_MS)); // polled by the probe's own thread
    }
    poller.shutdownNow();
    for (Fault fault : open) {
      fault.stillOpen = stillOpenItems(fault.pending);
    }
  }

  /** How many open items an unsettled fault names in the report. */
  static final int NAMED = 5;

  private List<String> stillOpenItems(Pending pending) {
    List<String> items = new ArrayList<>();
    for (Open o : pending.open()) {
      try {
        items.addAll(jdbc.queryForList(o.itemsSql() + " LIMIT " + NAMED, String.class));
      } catch (RuntimeException e) {
        items.add("cannot be read: " + e.getMessage());
      }
    }
    return items.subList(0, Math.min(NAMED, items.size()));
  }

  private void poll() {
    long now = System.currentTimeMillis();
    for (Fault fault : open) {
      try {
        if (stillOpen(fault.pending) == 0) {
          fault.settledAtMs = now;
          open.remove(fault);
        }
      } catch (RuntimeException e) {
        // the database is shared with the topology, may be busy or killed: try again next poll
      }
    }
  }

  private long stillOpen(Pending pending) {
    long n = 0;
    for (Open o : pending.open()) {
      n += Objects.requireNonNull(jdbc.queryForObject(o.countSql(), Long.class));
    }
    return n;
  }

  /**
   * The victim's branches at the TC and its own fence rows left tried (in {@code schema}, its
   * descriptor's), by xid.
   */
  private Pending branchesOf(String process, String schema) {
    Set<String> xids = new LinkedHashSet<>();
    if (tcInDatabase()) {
      xids.addAll(
          jdbc.queryForList(
              "SELECT DISTINCT xid FROM " + seata() + ".branch_table WHERE client_id LIKE ?",
              String.class,
              process + ":%"));
    }
    xids.addAll(
        jdbc.queryForList(
            "SELECT xid FROM " + schema + ".tcc_fence_log WHERE status = " + FENCE_TRIED,
            String.class));
    if (xids.isEmpty()) {
      return new Pending(0, List.of());
    }
    String in = in(xids);
    List<Open> queries = new ArrayList<>();
    String fenceRows =
        " FROM " + schema + ".tcc_fence_log WHERE status = " + FENCE_TRIED + " AND xid IN " + in;
    queries.add(
        new Open(
            "CONCAT('fence row tried: ', xid, ' branch ', branch_id, ' ', action_name)",
            fenceRows));
    if (tcInDatabase()) {
      // the victim's branches, not the sessions: in db mode a finished session lingers in
      // global_table until server.retryDeadThreshold, while its branch rows go at once
      String branchRows =
          " FROM "
              + seata()
              + ".branch_table b LEFT JOIN "
              + seata()
              + ".global_table g ON g.xid = b.xid WHERE b.client_id LIKE '"
              + process
              + ":%' AND b.xid IN "
              + in;
      queries.add(
          new Open(
              "CONCAT('branch at the TC: ', b.xid, ' branch ', b.branch_id, ' ', b.resource_id,"
                  + " ' status ', b.status, ', session ',"
                  + " COALESCE(CONCAT('status ', g.status), 'none'))",
              branchRows));
    }
    return new Pending(xids.size(), queries);
  }

  /**
   * A session still in flight: begun and not yet decided (status 1), or with branches left to
   * commit or roll back. A session without branches in Committing / Rollbacking is finished and
   * only waits for the TC's lazy removal.
   */
  private String inFlightSql() {
    return "g.status = 1 OR EXISTS (SELECT 1 FROM "
        + seata()
        + ".branch_table b WHERE b.xid = g.xid)";
  }

  private Pending everyOpenSession() {
    if (!tcInDatabase()) {
      return new Pending(0, List.of());
    }
    List<String> xids =
        jdbc.queryForList(
            "SELECT g.xid FROM " + seata() + ".global_table g WHERE " + inFlightSql(),
            String.class);
    if (xids.isEmpty()) {
      return new Pending(0, List.of());
    }
    String sessions =
        " FROM "
            + seata()
            + ".global_table g WHERE g.xid IN "
            + in(xids)
            + " AND ("
            + inFlightSql()
            + ")";
    return new Pending(
        xids.size(),
        List.of(new Open("CONCAT('session in flight: ', g.xid, ' status ', g.status)", sessions)));
  }

  /**
   * Messages not fanned out and deliveries pending in {@code outboxes} (unprefixed, the victim's
   * descriptor's), of one consumer group or ({@code group} null, a relay) of all.
   */
  private Pending undelivered(List<String> outboxes, String group) {
    int size = 0;
    List<Open> queries = new ArrayList<>();
    for (String outbox : outboxes.stream().map(config::schema).toList()) {
      String groupFilter = group == null ? "" : " AND consumer_group = '" + group + "'";
      List<Long> deliveries =
          jdbc.queryForList(
              "SELECT message_pk FROM "
                  + outbox
                  + ".outbox_delivery WHERE status = 'PENDING'"
                  + groupFilter,
              Long.class);
      if (!deliveries.isEmpty()) {
        size += deliveries.size();
        String pending =
            " FROM "
                + outbox
                + ".outbox_delivery WHERE status = 'PENDING'"
                + groupFilter
                + " AND message_pk IN "
                + inNumbers(deliveries);
        queries.add(
            new Open(
                "CONCAT('delivery pending: "
                    + outbox
                    + " message ', message_pk, ' group ', consumer_group, ' attempts ', attempts,"
                    + " ' next ', next_attempt_at)",
                pending));
      }
      if (group == null) {
        List<Long> unfanned =
            jdbc.queryForList(
                "SELECT id FROM "
                    + outbox
                    + ".outbox_message WHERE status = 'READY' AND fanned_out = 0",
                Long.class);
        if (!unfanned.isEmpty()) {
          size += unfanned.size();
          String notFanned =
              " FROM "
                  + outbox
                  + ".outbox_message WHERE fanned_out = 0 AND id IN "
                  + inNumbers(unfanned);
          queries.add(
              new Open(
                  "CONCAT('not fanned out: " + outbox + " message ', id, ' key ', business_key)",
                  notFanned));
        }
      }
    }
    return new Pending(size, queries);
  }

  private boolean tcInDatabase() {
    return config.ha() || "db".equals(config.tcStore());
  }

  private String seata() {
    return config.schema("seata");
  }

  private static String in(Set<String> values) {
    return values.stream()
        .map(v -> "'" + v.replace("'", "''") + "'")
        .collect(Collectors.joining(",", "(", ")"));
  }

  private static String in(List<String> values) {
    return in(new LinkedHashSet<>(values));
  }

  private static String inNumbers(List<Long> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
  }
}
