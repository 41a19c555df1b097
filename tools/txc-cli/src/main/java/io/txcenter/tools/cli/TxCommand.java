package io.txcenter.tools.cli;

import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.TcConsole;
import io.txcenter.tools.topology.TcConsole.Branch;
import io.txcenter.tools.topology.TcConsole.GlobalSession;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bin/txc tx list [--older-than 30s] [--state S]} and {@code bin/txc tx show <xid>}: the
 * global transactions the TC still holds, and one XID's timeline across the topology. Read-only:
 * the repair actions ({@code retry}, {@code park}, {@code resolve}) are not built
 * (docs/operations.md).
 *
 * <p>{@code show} joins, on the XID: the TC's global session and branches (its console), every
 * fence row ({@code tcc_fence_log} of every schema the descriptors mark {@code fence=true}), every
 * business row that carries the XID (any table with an {@code xid} column in any schema of the
 * topology, so a new participant's records show without a change here), and the outbox messages of
 * the XID with their deliveries and dead letters. Rows are ordered by time, and what is still
 * pending is listed last.
 */
public final class TxCommand {

  private static final Pattern XID = Pattern.compile("[0-9.]{7,15}:\\d{1,5}:\\d{1,20}");
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})(ms|s|m|h)");
  private static final Map<Integer, String> FENCE =
      Map.of(1, "tried", 2, "committed", 3, "rollbacked", 4, "suspended");

  private final TopologyConfig config;
  private final Topology topology;
  private final PrintStream out;

  public TxCommand(TopologyConfig config, PrintStream out) {
    this.config = config;
    this.topology = new Topology(config);
    this.out = out;
  }

  public int run(List<String> args, Map<String, String> options) throws Exception {
    String verb = args.isEmpty() ? "" : args.get(0);
    return switch (verb) {
      case "list" -> list(age(options.get("older-than")), options.get("state"));
      case "show" -> {
        if (args.size() != 2) {
          throw new CliException("usage: tx show <xid>");
        }
        yield show(xid(args.get(1)));
      }
      default ->
          throw new CliException(
              "usage: tx list [--older-than 30s] [--state S] | tx show <xid>"
                  + " (retry, park and resolve are not built)");
    };
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; zero when absent. */
  static Duration age(String text) {
    if (text == null) {
      return Duration.ZERO;
    }
    Matcher m = AGE.matcher(text.trim());
    if (!m.matches()) {
      throw new CliException(
          "--older-than must be a whole number with ms, s, m or h (e.g. 30s), was [" + text + "]");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** A TC XID ({@code ip:port:id}); anything else is refused before any query. */
  static String xid(String text) {
    if (text == null || !XID.matcher(text).matches()) {
      throw new CliException("not an XID (ip:port:transactionId): [" + text + "]");
    }
    return text;
  }

  private int list(Duration olderThan, String state) throws Exception {
    long now = System.currentTimeMillis();
    List<GlobalSession> sessions = new ArrayList<>(console().sessions(null));
    sessions.removeIf(
        s ->
            now - s.beginTime() < olderThan.toMillis()
                || (state != null && !s.status().equalsIgnoreCase(state)));
    sessions.sort(Comparator.comparingLong(GlobalSession::beginTime));
    out.printf(
        "%d global transactions in the TC%s%s%n",
        sessions.size(),
        olderThan.isZero() ? "" : " older than " + olderThan.toMillis() / 1000.0 + " s",
        state == null ? "" : " in state " + state);
    for (GlobalSession s : sessions) {
      out.printf(
          "  %s  %-22s %-18s age %.1f s  timeout %.0f s  %d branches%n",
          s.xid(),
          s.status(),
          s.name(),
          (now - s.beginTime()) / 1000.0,
          s.timeoutMillis() / 1000.0,
          s.branches().size());
      for (Branch b : s.branches()) {
        out.printf(
            "      branch %d  %-14s %-4s %s%n", b.branchId(), b.resourceId(), b.type(), b.status());
      }
    }
    return 0;
  }

  private int show(String xid) throws Exception {
    JdbcTemplate jdbc = config.serverJdbc();
    List<Event> events = new ArrayList<>();
    List<String> pending = new ArrayList<>();

    out.println("xid " + xid);
    List<GlobalSession> held;
    try {
      held = console().sessions(xid);
    } catch (IOException e) {
      held = List.of();
      out.println("  tc: cannot ask the TC's console (" + e.getMessage() + ")");
    }
    if (held.isEmpty()) {
      out.println("  tc: no session (finished, or never begun here)");
    }
    for (GlobalSession s : held) {
      out.printf("  tc: %s %s, %d branches%n", s.status(), s.name(), s.branches().size());
      events.add(new Event(Instant.ofEpochMilli(s.beginTime()), "tc", "begun " + s.name()));
      pending.add("the TC holds the session: " + s.status());
      for (Branch b : s.branches()) {
        out.printf("    branch %d %s %s %s%n", b.branchId(), b.resourceId(), b.type(), b.status());
      }
    }

    for (String schema : topology.fenceSchemas()) {
      for (Map<String, Object> row :
          jdbc.queryForList(
              "SELECT branch_id, action_name, status, gmt_create, gmt_modified FROM "
                  + schema
                  + ".tcc_fence_log WHERE xid = ? ORDER BY gmt_create",
              xid)) {
        String status =
            FENCE.getOrDefault(
                ((Number) row.get("status")).intValue(), "status " + row.get("status"));
        String what = "fence " + row.get("action_name") + " branch " + row.get("branch_id");
        events.add(new Event(instant(row.get("gmt_create")), schema, what + " written"));
        if (!"tried".equals(status)) {
          events.add(new Event(instant(row.get("gmt_modified")), schema, what + " → " + status));
        } else {
          pending.add(schema + ": " + what + " still tried (phase two not run)");
        }
      }
    }

    for (String schema : topology.schemas()) {
      for (String table : xidTables(jdbc, schema)) {
        for (Map<String, Object> row :
            jdbc.queryForList("SELECT * FROM " + schema + "." + table + " WHERE xid = ?", xid)) {
          Object at = firstOf(row, "created_at", "gmt_create", "updated_at", "ready_at");
          events.add(new Event(instant(at), schema, table + " " + compact(row)));
          Object status = row.get("status");
          if (status != null
              && List.of("TRYING", "TRIED", "PREPARED", "PROCESSING").contains(status.toString())) {
            pending.add(schema + "." + table + ": " + status + " " + compact(row));
          }
        }
      }
    }

    for (Topology.OutboxOwner outbox : topology.outboxes()) {
      for (Map<String, Object> d :
          jdbc.queryForList(
              "SELECT m.message_id, m.tags, d.consumer_group, d.status, d.attempts, d.delivered_at,"
                  + " d.last_error, d.next_attempt_at FROM "
                  + outbox.schema()
                  + ".outbox_delivery d JOIN "
                  + outbox.schema()
                  + ".outbox_message m ON m.id = d.message_pk WHERE m.xid = ?",
              xid)) {
        String what =
            "delivery "
                + d.get("tags")
                + " → "
                + d.get("consumer_group")
                + " "
                + d.get("status")
                + " attempts "
                + d.get("attempts")
                + (d.get("last_error") == null ? "" : " last error: " + d.get("last_error"));
        Object at =
            d.get("delivered_at") != null ? d.get("delivered_at") : d.get("next_attempt_at");
        events.add(new Event(instant(at), "outbox " + outbox.name(), what));
        if (!"DELIVERED".equals(d.get("status"))) {
          pending.add("outbox " + outbox.name() + ": " + what);
        }
      }
    }

    events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder())));
    out.println("timeline:");
    for (Event e : events) {
      out.printf("  %s  %-26s %s%n", e.at() == null ? "?" : e.at(), e.where(), e.what());
    }
    out.println(pending.isEmpty() ? "pending: nothing" : "pending:");
    pending.forEach(p -> out.println("  " + p));
    return 0;
  }

  private TcConsole console() {
    return new TcConsole(config);
  }

  /** The tables of {@code schema} with an {@code xid} column, but the fence and outbox ones. */
  private static List<String> xidTables(JdbcTemplate jdbc, String schema) {
    return jdbc.queryForList(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = ? AND column_name ="
            + " 'xid' AND table_name NOT IN ('tcc_fence_log', 'undo_log') ORDER BY table_name",
        String.class,
        schema);
  }

  private static Object firstOf(Map<String, Object> row, String... columns) {
    for (String c : columns) {
      if (row.get(c) != null) {
        return row.get(c);
      }
    }
    return null;
  }

  private static Instant instant(Object value) {
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof java.time.LocalDateTime t) {
      return t.atZone(java.time.ZoneId.systemDefault()).toInstant();
    }
    return null;
  }

  /** A row as {@code key=value}, without the XID and the long payloads. */
  private static String compact(Map<String, Object> row) {
    Map<String, Object> shown = new LinkedHashMap<>(row);
    shown.remove("xid");
    shown.remove("payload");
    shown.remove("headers");
    return shown.toString();
  }

  /** One line of the timeline. */
  record Event(Instant at, String where, String what) {}
}
