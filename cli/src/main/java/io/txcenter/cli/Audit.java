package io.txcenter.cli;

import io.txcenter.outbox.TagExpression;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checks the invariants of DESIGN.md §6 that exist so far, across every schema of a topology:
 * points and quota conservation per channel, nothing frozen or left trying after quiescence, every
 * order all-confirmed or all-cancelled, account credits consistent, no fence row left {@code
 * tried}. Waits (bounded) for quiescence first: in-flight transactions may still be settling.
 */
public final class Audit {

  private static final int FENCE_TRIED = 1;

  private final TopologyConfig config;
  private final JdbcTemplate jdbc;
  private final TcSessions tcSessions;
  private int checks;
  private final List<String> violations = new ArrayList<>();

  public Audit(TopologyConfig config) {
    this.config = config;
    this.jdbc = config.serverJdbc();
    this.tcSessions = new TcSessions(config, jdbc);
  }

  /**
   * The outcome: how many checks ran, what each violation was, what was still in flight when the
   * quiescence bound ran out (by kind; empty when quiescence was reached) and how long it took.
   */
  public record Result(
      int checks, List<String> violations, Map<String, Long> stuck, long quiescenceMillis) {

    public long stuckCount() {
      return total(stuck);
    }

    public String line() {
      return "audit: " + checks + " checks, " + violations.size() + " violations";
    }
  }

  public Result run(Duration quiescence, PrintStream out) {
    long waited = awaitQuiescence(quiescence);
    Map<String, Long> stuck = inFlight();
    if (stuck.isEmpty()) {
      out.printf(
          "  quiescence reached after %.1f s (bound %d s)%n", waited / 1e3, quiescence.toSeconds());
    } else {
      out.printf(
          "  quiescence NOT reached after %.1f s (bound %d s), still in flight: %s%n",
          waited / 1e3, quiescence.toSeconds(), stuck);
    }
    checks = 0;
    violations.clear();
    for (String channel : config.channels()) {
      auditChannel(channel);
    }
    auditPortal();
    auditAccounts();
    auditOrders();
    auditOutbox(mall(), mallSubscriptions());
    auditOutbox(config.schema("payment"), paymentSubscriptions());
    auditPayments();
    noFenceTried(config.schema("payment"));
    long sessions = tcSessions.count();
    check(sessions == 0, "TC: " + sessions + " global sessions left after quiescence");
    for (String violation : violations) {
      out.println("  VIOLATION " + violation);
    }
    return new Result(checks, List.copyOf(violations), stuck, waited);
  }

  /** Milliseconds until nothing is frozen, trying or tried anywhere, or the bound passed. */
  private long awaitQuiescence(Duration bound) {
    long start = System.currentTimeMillis();
    long deadline = start + bound.toMillis();
    while (System.currentTimeMillis() < deadline && total(inFlight()) > 0) {
      try {
        Thread.sleep(250); // polling databases owned by other processes: nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return System.currentTimeMillis() - start;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** What is still on its way to a final state, by kind; empty counts are left out. */
  Map<String, Long> inFlight() {
    Map<String, Long> n = new java.util.LinkedHashMap<>();
    put(
        n,
        "orders TRYING",
        "SELECT COUNT(*) FROM " + mall() + ".mall_order WHERE status = 'TRYING'");
    for (String outbox : List.of(mall(), config.schema("payment"))) {
      put(
          n,
          outbox + " messages PREPARED or not fanned out",
          "SELECT COUNT(*) FROM "
              + outbox
              + ".outbox_message WHERE status = 'PREPARED' OR (status = 'READY' AND fanned_out ="
              + " 0)");
      put(
          n,
          outbox + " deliveries PENDING",
          "SELECT COUNT(*) FROM " + outbox + ".outbox_delivery WHERE status = 'PENDING'");
    }
    put(
        n,
        "payments PROCESSING",
        "SELECT COUNT(*) FROM "
            + config.schema("payment")
            + ".payment_order WHERE status = 'PROCESSING'");
    put(
        n,
        "merchant notifications PENDING",
        "SELECT COUNT(*) FROM "
            + config.schema("notify")
            + ".merchant_notify WHERE state = 'PENDING'");
    for (String schema : participantSchemas()) {
      put(
          n,
          schema + " fence rows tried",
          "SELECT COUNT(*) FROM " + schema + ".tcc_fence_log WHERE status = " + FENCE_TRIED);
    }
    long sessions = tcSessions.count();
    if (sessions > 0) {
      n.put("TC global sessions", sessions);
    }
    return n;
  }

  private void put(Map<String, Long> counts, String what, String sql) {
    long c = count(sql);
    if (c > 0) {
      counts.put(what, c);
    }
  }

  private void auditChannel(String channel) {
    String s = config.schemaOfChannel(channel);
    for (Map<String, Object> row :
        jdbc.queryForList(
            "SELECT u.user_id, u.available, u.frozen, u.spent, u.credited, u.granted,"
                + " (SELECT COALESCE(SUM(f.points), 0) FROM "
                + s
                + ".points_freeze f WHERE f.channel_id = u.channel_id AND f.user_id = u.user_id"
                + " AND f.status = 'CONFIRMED') AS confirmed,"
                + " (SELECT COALESCE(SUM(f.points), 0) FROM "
                + s
                + ".points_freeze f WHERE f.channel_id = u.channel_id AND f.user_id = u.user_id"
                + " AND f.status = 'TRIED') AS tried,"
                + " (SELECT COALESCE(SUM(c.points), 0) FROM "
                + s
                + ".points_credit c WHERE c.channel_id = u.channel_id AND c.user_id = u.user_id"
                + " AND c.status = 'CONFIRMED') AS credits"
                + " FROM "
                + s
                + ".user_points u WHERE u.channel_id = ?",
            channel)) {
      String who = "channel " + channel + " user " + row.get("user_id");
      long available = num(row, "available");
      long frozen = num(row, "frozen");
      long spent = num(row, "spent");
      long credited = num(row, "credited");
      long granted = num(row, "granted");
      check(
          available + frozen + spent - credited == granted,
          who
              + ": available+frozen+spent-credited="
              + (available + frozen + spent - credited)
              + " but granted="
              + granted);
      check(available >= 0 && frozen >= 0 && spent >= 0, who + ": negative balance " + row);
      check(frozen == 0, who + ": " + frozen + " points still frozen after quiescence");
      check(
          spent == num(row, "confirmed"),
          who + ": spent=" + spent + " but confirmed freezes=" + num(row, "confirmed"));
      check(
          frozen == num(row, "tried"),
          who + ": frozen=" + frozen + " but tried freezes=" + num(row, "tried"));
      check(
          credited == num(row, "credits"),
          who + ": credited=" + credited + " but confirmed credits=" + num(row, "credits"));
    }
    noTried(s, "points_freeze", "channel " + channel);
    noTried(s, "points_credit", "channel " + channel);
    noFenceTried(s);
  }

  private void auditPortal() {
    String s = config.schema("portal");
    for (Map<String, Object> row :
        jdbc.queryForList(
            "SELECT q.channel_id, q.granted, q.available, q.frozen, q.used,"
                + " (SELECT COALESCE(SUM(f.amount), 0) FROM "
                + s
                + ".quota_freeze f WHERE f.channel_id = q.channel_id AND f.status = 'CONFIRMED')"
                + " AS confirmed FROM "
                + s
                + ".channel_quota q")) {
      String who = "quota of channel " + row.get("channel_id");
      long available = num(row, "available");
      long frozen = num(row, "frozen");
      long used = num(row, "used");
      long granted = num(row, "granted");
      check(
          available + frozen + used == granted,
          who
              + ": available+frozen+used="
              + (available + frozen + used)
              + " but granted="
              + granted);
      check(frozen == 0, who + ": " + frozen + " still frozen after quiescence");
      check(
          used == num(row, "confirmed"),
          who + ": used=" + used + " but confirmed freezes=" + num(row, "confirmed"));
    }
    noTried(s, "quota_freeze", "portal");
    noFenceTried(s);
  }

  private void auditAccounts() {
    String s = config.schema("account");
    for (Map<String, Object> row :
        jdbc.queryForList(
            "SELECT a.account_id, a.balance, a.pending_credit, a.opening_balance,"
                + " (SELECT COALESCE(SUM(c.amount), 0) FROM "
                + s
                + ".account_credit c WHERE c.account_id = a.account_id AND c.status = 'CONFIRMED')"
                + " AS confirmed FROM "
                + s
                + ".account a")) {
      String who = "account " + row.get("account_id");
      check(
          num(row, "balance") == num(row, "opening_balance") + num(row, "confirmed"),
          who
              + ": balance="
              + num(row, "balance")
              + " but opening+confirmed credits="
              + (num(row, "opening_balance") + num(row, "confirmed")));
      check(
          num(row, "pending_credit") == 0,
          who + ": pending credit " + num(row, "pending_credit") + " after quiescence");
    }
    noTried(s, "account_credit", "account");
    noFenceTried(s);
  }

  private void auditOrders() {
    String m = mall();
    check(
        count("SELECT COUNT(*) FROM " + m + ".mall_order WHERE status = 'TRYING'") == 0,
        "orders still TRYING after quiescence: "
            + jdbc.queryForList(
                "SELECT order_no FROM " + m + ".mall_order WHERE status = 'TRYING' LIMIT 10",
                String.class));
    noFenceTried(m);
    for (Map<String, Object> line :
        jdbc.queryForList(
            "SELECT o.order_no, o.status, l.channel_id, l.points FROM "
                + m
                + ".mall_order o JOIN "
                + m
                + ".order_line l ON l.order_no = o.order_no")) {
      String order = (String) line.get("order_no");
      String channel = (String) line.get("channel_id");
      long points = num(line, "points");
      boolean confirmed = "CONFIRMED".equals(line.get("status"));
      String who = "order " + order + " channel " + channel;
      List<Long> spent =
          config.channels().contains(channel)
              ? jdbc.queryForList(
                  "SELECT points FROM "
                      + config.schemaOfChannel(channel)
                      + ".points_freeze WHERE channel_id = ? AND order_no = ? AND status ="
                      + " 'CONFIRMED'",
                  Long.class,
                  channel,
                  order)
              : List.of();
      List<Long> used =
          jdbc.queryForList(
              "SELECT amount FROM "
                  + config.schema("portal")
                  + ".quota_freeze WHERE channel_id = ? AND order_no = ? AND status = 'CONFIRMED'",
              Long.class,
              channel,
              order);
      if (confirmed) {
        check(
            spent.equals(List.of(points)),
            who + ": confirmed order expects one spend of " + points + ", found " + spent);
        check(
            used.equals(List.of(points)),
            who + ": confirmed order expects one quota use of " + points + ", found " + used);
      } else {
        check(spent.isEmpty(), who + ": " + line.get("status") + " order has spends " + spent);
        check(used.isEmpty(), who + ": " + line.get("status") + " order has quota uses " + used);
      }
    }
    for (String channel : config.channels()) {
      check(
          count(
                  "SELECT COUNT(*) FROM "
                      + config.schemaOfChannel(channel)
                      + ".points_freeze f WHERE f.status = 'CONFIRMED' AND NOT EXISTS (SELECT 1"
                      + " FROM "
                      + m
                      + ".mall_order o WHERE o.order_no = f.order_no AND o.status = 'CONFIRMED')")
              == 0,
          "channel " + channel + ": points spent for orders that are not CONFIRMED");
    }
    check(
        count(
                "SELECT COUNT(*) FROM "
                    + config.schema("portal")
                    + ".quota_freeze f WHERE f.status = 'CONFIRMED' AND NOT EXISTS (SELECT 1 FROM "
                    + m
                    + ".mall_order o WHERE o.order_no = f.order_no AND o.status = 'CONFIRMED')")
            == 0,
        "portal: quota used for orders that are not CONFIRMED");
  }

  /** A consumer group of an outbox: the topic it subscribes, its schema, its tag expression. */
  private record Subscription(
      String topic, String group, String schema, TagExpression expression) {}

  private List<Subscription> mallSubscriptions() {
    List<Subscription> subscriptions = new ArrayList<>();
    TopologyConfig.SUBSCRIBERS.forEach(
        (g, e) ->
            subscriptions.add(
                new Subscription(
                    "accompaniment", g, config.schemaOfSubscriber(g), TagExpression.parse(e))));
    return subscriptions;
  }

  private List<Subscription> paymentSubscriptions() {
    return List.of(
        new Subscription(
            "accounting",
            "accounting",
            config.schemaOfSubscriber("accounting"),
            TagExpression.parse("*")),
        new Subscription(
            "merchant-notify", "notifier", config.schema("notify"), TagExpression.parse("*")));
  }

  /**
   * Every READY message of {@code outbox} applied exactly once (its {@code consumed_message} row)
   * by every consumer group whose subscription matches its topic and tags, or dead-lettered for
   * that group; no PREPARED message left; nothing applied that is not READY.
   */
  private void auditOutbox(String outbox, List<Subscription> subscriptions) {
    long prepared =
        count("SELECT COUNT(*) FROM " + outbox + ".outbox_message WHERE status = 'PREPARED'");
    check(prepared == 0, outbox + ": " + prepared + " messages still PREPARED after quiescence");
    Map<String, java.util.Set<String>> applied = new java.util.HashMap<>();
    for (Subscription sub : subscriptions) {
      applied.put(
          sub.group(),
          new java.util.HashSet<>(
              jdbc.queryForList(
                  "SELECT message_id FROM "
                      + sub.schema()
                      + ".consumed_message WHERE consumer_group = ?",
                  String.class,
                  sub.group())));
      long stray =
          count(
              "SELECT COUNT(*) FROM "
                  + sub.schema()
                  + ".consumed_message c LEFT JOIN "
                  + outbox
                  + ".outbox_message o ON o.message_id = c.message_id"
                  + " WHERE c.consumer_group = '"
                  + sub.group()
                  + "' AND (o.id IS NULL OR o.status <> 'READY')");
      check(
          stray == 0,
          "group " + sub.group() + ": " + stray + " applied messages are not READY in " + outbox);
    }
    Map<Long, Map<String, String>> deliveries = new java.util.HashMap<>();
    for (Map<String, Object> d :
        jdbc.queryForList(
            "SELECT message_pk, consumer_group, status FROM " + outbox + ".outbox_delivery")) {
      deliveries
          .computeIfAbsent(num(d, "message_pk"), k -> new java.util.HashMap<>())
          .put((String) d.get("consumer_group"), (String) d.get("status"));
    }
    for (Map<String, Object> message :
        jdbc.queryForList(
            "SELECT id, message_id, topic, tags, fanned_out FROM "
                + outbox
                + ".outbox_message WHERE status = 'READY'")) {
      String id = (String) message.get("message_id");
      String tags = (String) message.get("tags");
      Map<String, String> byGroup = deliveries.getOrDefault(num(message, "id"), Map.of());
      check(num(message, "fanned_out") == 1, "message " + id + ": READY but never fanned out");
      for (Subscription sub : subscriptions) {
        boolean matches =
            sub.topic().equals(message.get("topic")) && sub.expression().matches(tags);
        String status = byGroup.get(sub.group());
        boolean done = applied.get(sub.group()).contains(id);
        if (!matches) {
          check(
              status == null && !done,
              "message "
                  + id
                  + " tags "
                  + tags
                  + ": reached group "
                  + sub.group()
                  + " which does not match");
        } else if ("DEAD".equals(status)) {
          check(!done, "message " + id + ": dead-lettered for " + sub.group() + " yet applied");
        } else {
          check(
              "DELIVERED".equals(status) && done,
              "message "
                  + id
                  + " tags "
                  + tags
                  + ": group "
                  + sub.group()
                  + " delivery="
                  + status
                  + " applied="
                  + done);
        }
      }
    }
  }

  /**
   * Every PAID payment: the merchant credited once with its amount, the points awarded once, one
   * voucher whose lines sum to zero; every PAID or FAILED payment: one merchant notification of
   * that status, acknowledged or given up; every other payment: none of these; none left
   * PROCESSING.
   */
  private void auditPayments() {
    String p = config.schema("payment");
    String accounting = config.schemaOfSubscriber("accounting");
    for (Map<String, Object> pay :
        jdbc.queryForList(
            "SELECT payment_no, status, channel_id, amount_cents, award_points FROM "
                + p
                + ".payment_order")) {
      String no = (String) pay.get("payment_no");
      String status = (String) pay.get("status");
      String channel = (String) pay.get("channel_id");
      long amount = num(pay, "amount_cents");
      long award = num(pay, "award_points");
      List<Long> credits =
          jdbc.queryForList(
              "SELECT amount FROM "
                  + config.schema("account")
                  + ".account_credit WHERE biz_no = ? AND status = 'CONFIRMED'",
              Long.class,
              no);
      List<Long> awards =
          config.channels().contains(channel)
              ? jdbc.queryForList(
                  "SELECT points FROM "
                      + config.schemaOfChannel(channel)
                      + ".points_credit WHERE biz_no = ? AND status = 'CONFIRMED'",
                  Long.class,
                  no)
              : List.of();
      Map<String, Object> voucher =
          jdbc.queryForMap(
              "SELECT COUNT(DISTINCT v.voucher_no) AS vouchers, COALESCE(SUM(l.amount_cents), 0)"
                  + " AS total, COALESCE(MAX(l.amount_cents), 0) AS debit FROM "
                  + accounting
                  + ".voucher v JOIN "
                  + accounting
                  + ".voucher_line l ON l.voucher_no = v.voucher_no WHERE v.payment_no = ?",
              no);
      String who = "payment " + no + " (" + status + ")";
      check(!"PROCESSING".equals(status), who + ": still PROCESSING after quiescence");
      List<Map<String, Object>> notes =
          jdbc.queryForList(
              "SELECT payment_status, state FROM "
                  + config.schema("notify")
                  + ".merchant_notify WHERE payment_no = ?",
              no);
      if ("PAID".equals(status) || "FAILED".equals(status)) {
        check(
            notes.size() == 1
                && status.equals(notes.get(0).get("payment_status"))
                && List.of("ACKED", "GAVE_UP").contains(notes.get(0).get("state")),
            who + ": expected one settled merchant notification of " + status + ", found " + notes);
      } else {
        check(notes.isEmpty(), who + ": merchant notified of an uncompleted payment " + notes);
      }
      if ("PAID".equals(status)) {
        check(
            credits.equals(List.of(amount)),
            who + ": merchant credits " + credits + ", expected [" + amount + "]");
        check(
            award == 0 ? awards.isEmpty() : awards.equals(List.of(award)),
            who + ": points awards " + awards + ", expected [" + award + "]");
        check(
            num(voucher, "vouchers") == 1
                && num(voucher, "total") == 0
                && num(voucher, "debit") == amount,
            who + ": voucher " + voucher + ", expected one balanced voucher debiting " + amount);
      } else {
        check(credits.isEmpty(), who + ": merchant credited " + credits);
        check(awards.isEmpty(), who + ": points awarded " + awards);
        check(num(voucher, "vouchers") == 0, who + ": has a voucher");
      }
    }
  }

  private void noTried(String schema, String table, String who) {
    long tried = count("SELECT COUNT(*) FROM " + schema + "." + table + " WHERE status = 'TRIED'");
    check(tried == 0, who + ": " + tried + " " + table + " rows still TRIED after quiescence");
  }

  private void noFenceTried(String schema) {
    long tried =
        count("SELECT COUNT(*) FROM " + schema + ".tcc_fence_log WHERE status = " + FENCE_TRIED);
    check(tried == 0, schema + ": " + tried + " fence rows left tried");
  }

  private List<String> participantSchemas() {
    List<String> schemas = new ArrayList<>();
    config.channels().forEach(c -> schemas.add(config.schemaOfChannel(c)));
    schemas.add(config.schema("portal"));
    schemas.add(config.schema("account"));
    schemas.add(mall());
    schemas.add(config.schema("payment"));
    return schemas;
  }

  private String mall() {
    return config.schema("mall");
  }

  private void check(boolean ok, String violation) {
    checks++;
    if (!ok) {
      violations.add(violation);
    }
  }

  private long count(String sql) {
    return Objects.requireNonNull(jdbc.queryForObject(sql, Long.class));
  }

  private static long num(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).longValue();
  }
}
