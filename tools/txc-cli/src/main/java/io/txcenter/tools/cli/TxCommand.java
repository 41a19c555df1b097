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
 * global transactions the TC still holds, and one XID's timeline across the topology; {@code tx
 * park} and {@code tx retry}, the repairs that take a branch out of phase two and give it back
 * (docs/operations.md); {@code tx resolve}, which takes branches whose phase two is proven applied
 * out of a session the TC keeps retrying.
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

  /** txcenter's parked status (io.txcenter.kit.fence.FenceParking), beside Seata's 1–4. */
  public static final int PARKED = 9;

  /** Parked by the participant itself after its phase two kept failing. */
  public static final int AUTO_PARKED = 8;

  private static final int TRIED = 1;

  private static final Map<Integer, String> FENCE =
      Map.of(
          1,
          "tried",
          2,
          "committed",
          3,
          "rollbacked",
          4,
          "suspended",
          PARKED,
          "parked",
          AUTO_PARKED,
          "parked (auto)");

  /** The repair actions' append-only record, under the run directory. */
  public static final String REPAIR_LOG = "audit/tx-repairs.log";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

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
      case "park", "retry" -> {
        if (args.size() != 2) {
          throw new CliException("usage: tx " + verb + " <xid> --reason \"why\" [--yes]");
        }
        yield repair(
            verb.equals("park"),
            xid(args.get(1)),
            reason(options.get("reason")),
            options.containsKey("yes"));
      }
      case "resolve" -> {
        boolean commit = options.containsKey("commit");
        if (args.size() != 2 || commit == options.containsKey("rollback")) {
          throw new CliException(
              "usage: tx resolve <xid> --commit|--rollback --reason \"why\" [--yes]");
        }
        yield resolve(
            xid(args.get(1)), commit, reason(options.get("reason")), options.containsKey("yes"));
      }
      default ->
          throw new CliException(
              "usage: tx list [--older-than 30s] [--state S] | tx show <xid>"
                  + " | tx park <xid> --reason R [--yes] | tx retry <xid> --reason R [--yes]"
                  + " | tx resolve <xid> --commit|--rollback --reason R [--yes]");
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

  /** The required reason of a repair: one line, 3 to 500 characters. */
  static String reason(String text) {
    if (text == null || text.isBlank()) {
      throw new CliException("a repair needs --reason \"why\": it is written to the repair record");
    }
    String reason = text.strip();
    if (reason.length() < 3 || reason.length() > 500 || reason.chars().anyMatch(c -> c < 0x20)) {
      throw new CliException(
          "--reason must be one line of 3 to 500 characters, was [" + text.length() + " chars]");
    }
    return reason;
  }

  /**
   * {@code tx park} moves the XID's {@code tried} fence rows to {@code parked}: the participants
   * then refuse their phase two (the TC keeps retrying it) and their reservations stay frozen.
   * {@code tx retry} moves {@code parked} rows back to {@code tried}, and the TC's next retry runs
   * phase two. Without {@code --yes} it only shows what would change. Each applied repair appends
   * one line to {@code <run dir>/audit/tx-repairs.log}: when, who, what, why, and every row before
   * and after. Neither settles or deletes anything: points, quota and cash stay where they are.
   */
  private int repair(boolean park, String xid, String reason, boolean apply) throws IOException {
    List<Integer> from = park ? List.of(TRIED) : List.of(PARKED, AUTO_PARKED);
    int to = park ? PARKED : TRIED;
    String verb = park ? "park" : "retry";
    JdbcTemplate jdbc = config.serverJdbc();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String schema : topology.fenceSchemas()) {
      for (Map<String, Object> row :
          jdbc.queryForList(
              "SELECT branch_id, action_name, status FROM "
                  + schema
                  + ".tcc_fence_log WHERE xid = ? AND status IN (?, ?) ORDER BY branch_id",
              xid,
              from.get(0),
              from.get(from.size() - 1))) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("schema", schema);
        entry.putAll(row);
        rows.add(entry);
      }
    }
    String fromName = park ? "tried" : "parked";
    out.printf(
        "tx %s %s: %d branch(es) %s → %s%n", verb, xid, rows.size(), fromName, FENCE.get(to));
    for (Map<String, Object> row : rows) {
      out.printf(
          "  %s branch %s %s (%s)%n",
          row.get("schema"),
          row.get("branch_id"),
          row.get("action_name"),
          FENCE.get(((Number) row.get("status")).intValue()));
    }
    if (rows.isEmpty()) {
      out.println("  nothing to " + verb + ": no fence row of this XID is " + fromName);
      return 1;
    }
    if (!apply) {
      out.println("  dry run: nothing changed; add --yes to apply");
      return 0;
    }
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      int before = ((Number) row.get("status")).intValue();
      int changed =
          jdbc.update(
              "UPDATE "
                  + row.get("schema")
                  + ".tcc_fence_log SET status = ?, gmt_modified = NOW(3)"
                  + " WHERE xid = ? AND branch_id = ? AND status = ?",
              to,
              xid,
              row.get("branch_id"),
              before);
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("schema", row.get("schema"));
      change.put("branch", row.get("branch_id"));
      change.put("action", row.get("action_name"));
      change.put("before", FENCE.get(before));
      change.put(
          "after",
          changed == 1 ? FENCE.get(to) : FENCE.get(before) + " (changed meanwhile, left alone)");
      changes.add(change);
      out.printf(
          "  %s branch %s: %s%n",
          row.get("schema"),
          row.get("branch_id"),
          changed == 1 ? FENCE.get(to) : "changed meanwhile, left alone");
    }
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("rows", changes);
    record(verb, xid, reason, record);
    return 0;
  }

  /** Appends one repair to the run directory's record: when, who, what, why, then {@code what}. */
  private void record(String verb, String xid, String reason, Map<String, Object> what)
      throws IOException {
    java.nio.file.Path log = config.runDir().resolve(REPAIR_LOG);
    java.nio.file.Files.createDirectories(log.getParent());
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("at", Instant.now().toString());
    record.put("who", System.getProperty("user.name", "?"));
    record.put("action", verb);
    record.put("xid", xid);
    record.put("reason", reason);
    record.putAll(what);
    java.nio.file.Files.writeString(
        log,
        JSON.writeValueAsString(record) + "\n",
        java.nio.charset.StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    out.println("  recorded in " + log);
  }

  /**
   * {@code tx resolve}: takes out of a session the TC keeps retrying those branches whose phase two
   * is proven applied in the direction the TC decided, and lets the TC end the session when none is
   * left. Proof is the branch's fence row (same XID and branch id in any fence schema), which the
   * participant settles in the same local transaction as its business change: {@code committed} for
   * {@code --commit}, {@code rollbacked} or {@code suspended} for {@code --rollback}. A branch
   * still {@code tried} or parked, settled the other way, without a fence row, or not TCC is left
   * in the session: taking it out would leave its reservation frozen, or undo what the TC decided.
   * The TC re-checks the direction and the branches itself.
   */
  private int resolve(String xid, boolean commit, String reason, boolean apply) throws Exception {
    String direction = commit ? "commit" : "rollback";
    List<GlobalSession> held = console().sessions(xid);
    out.printf("tx resolve %s --%s%n", xid, direction);
    if (held.isEmpty()) {
      out.println("  nothing to resolve: the TC holds no session " + xid);
      return 1;
    }
    GlobalSession session = held.get(0);
    List<String> allowed =
        commit
            ? List.of("CommitRetrying", "Committing")
            : List.of(
                "RollbackRetrying", "TimeoutRollbackRetrying", "Rollbacking", "TimeoutRollbacking");
    if (!allowed.contains(session.status())) {
      throw new CliException(
          "the TC's session "
              + xid
              + " is "
              + session.status()
              + ": resolve --"
              + direction
              + " needs one it keeps retrying in that direction ("
              + String.join(", ", allowed)
              + ")");
    }
    JdbcTemplate jdbc = config.serverJdbc();
    List<Integer> settled = commit ? List.of(2) : List.of(3, 4);
    List<Long> resolvable = new ArrayList<>();
    List<Map<String, Object>> branches = new ArrayList<>();
    out.printf(
        "  tc: %s %s, %d branches%n", session.status(), session.name(), session.branches().size());
    for (Branch b : session.branches()) {
      List<String> fence = new ArrayList<>();
      List<Integer> statuses = new ArrayList<>();
      for (String schema : topology.fenceSchemas()) {
        for (Integer status :
            jdbc.queryForList(
                "SELECT status FROM " + schema + ".tcc_fence_log WHERE xid = ? AND branch_id = ?",
                Integer.class,
                xid,
                b.branchId())) {
          fence.add(schema + " " + FENCE.getOrDefault(status, "status " + status));
          statuses.add(status);
        }
      }
      String verdict;
      if (!"TCC".equals(b.type())) {
        verdict = "left: a " + b.type() + " branch, only TCC branches resolve";
      } else if (statuses.isEmpty()) {
        verdict = "left: no fence row, nothing proves its phase two ran";
      } else if (statuses.size() > 1) {
        verdict = "left: " + statuses.size() + " fence rows for one branch";
      } else if (settled.contains(statuses.get(0))) {
        verdict = "resolve: its " + direction + " is applied";
        resolvable.add(b.branchId());
      } else if (statuses.get(0) == TRIED
          || statuses.get(0) == PARKED
          || statuses.get(0) == AUTO_PARKED) {
        verdict = "left: phase two not applied, its reservation is still held";
      } else {
        verdict = "left: settled the other way, contrary to the TC's decision (investigate)";
      }
      out.printf(
          "    branch %d %s: fence %s → %s%n",
          b.branchId(),
          b.resourceId(),
          fence.isEmpty() ? "none" : String.join(", ", fence),
          verdict);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("branch", b.branchId());
      entry.put("resource", b.resourceId());
      entry.put("tc", b.status());
      entry.put("fence", fence);
      entry.put("verdict", verdict);
      branches.add(entry);
    }
    if (resolvable.isEmpty()) {
      out.println(
          "  nothing to resolve: no branch is proven " + (commit ? "committed" : "rolled back"));
      return 1;
    }
    if (!apply) {
      out.println("  dry run: nothing changed; add --yes to apply");
      return 0;
    }
    TcConsole.Resolved answer = console().resolve(xid, direction, resolvable, reason);
    if (!answer.success()) {
      throw new CliException(
          "the TC refused the resolve (HTTP " + answer.httpStatus() + "): " + answer.message());
    }
    // the console writes longs as JSON strings (for its web page): read them back as numbers
    List<Long> removed = new ArrayList<>();
    answer.data().path("removed").forEach(id -> removed.add(id.asLong()));
    List<Long> remaining = new ArrayList<>();
    answer.data().path("remaining").forEach(id -> remaining.add(id.asLong()));
    boolean ended = answer.data().path("ended").asBoolean();
    String after = answer.data().path("statusAfter").asText();
    out.printf(
        "  tc: removed %s, remaining %s, %s%n",
        removed, remaining, (ended ? "session ended " : "session still ") + after);
    Map<String, Object> tcAfter = new LinkedHashMap<>();
    tcAfter.put("removed", removed);
    tcAfter.put("remaining", remaining);
    tcAfter.put("ended", ended);
    tcAfter.put("status", after);
    Map<String, Object> what = new LinkedHashMap<>();
    what.put("direction", direction);
    what.put("tcBefore", session.status());
    what.put("branches", branches);
    what.put("tcAfter", tcAfter);
    record("resolve", xid, reason, what);
    return 0;
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
        if ("tried".equals(status)) {
          pending.add(schema + ": " + what + " still tried (phase two not run)");
        } else {
          events.add(new Event(instant(row.get("gmt_modified")), schema, what + " → " + status));
          if (status.startsWith("parked")) {
            pending.add(schema + ": " + what + " parked (bin/txc tx retry releases it)");
          }
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
