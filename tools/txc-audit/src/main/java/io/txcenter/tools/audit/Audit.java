package io.txcenter.tools.audit;

import io.txcenter.outbox.TagExpression;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.ProcessDescriptor;
import io.txcenter.tools.topology.TcSessions;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checks the invariants of DESIGN.md §6 across every schema of a topology, after waiting (bounded)
 * for quiescence: in-flight transactions may still be settling.
 *
 * <p>The services carry their own invariants ({@code META-INF/txc/audit/<id>.properties}, run by
 * {@link #auditServices}): the participants' balances, each initiator's business records against
 * the effects it causes in other schemas, both ways (docs/architecture.md, "Audit"). What stays
 * here is generic or needs more than one query: quiescence, each outbox's per-subscription delivery
 * (the groups' tag expressions, {@link TagExpression}) and its delivery order per group and
 * business key, fence rows left {@code tried} in every schema that has a fence table, and the TC's
 * sessions.
 */
public final class Audit {

  private static final int FENCE_TRIED = 1;

  /**
   * txcenter's parked status (io.txcenter.kit.fence.FenceParking): a tried branch an operator took
   * out of phase two; its reservation is still frozen, so it counts as not settled.
   */
  private static final int FENCE_PARKED = 9;

  /** Parked by the participant itself (FenceParking.STATUS_AUTO_PARKED). */
  private static final int FENCE_AUTO_PARKED = 8;

  private static final String NOT_SETTLED =
      " WHERE status IN (" + FENCE_TRIED + ", " + FENCE_AUTO_PARKED + ", " + FENCE_PARKED + ")";

  private final TopologyConfig config;
  private final JdbcTemplate jdbc;
  private final TcSessions tcSessions;
  // one discovery of the process descriptors per audit (it walks the tree and opens every jar)
  private final Topology topology;
  private int checks;
  private final List<String> violations = new ArrayList<>();

  public Audit(TopologyConfig config) {
    this.config = config;
    this.jdbc = config.serverJdbc();
    this.tcSessions = new TcSessions(config, jdbc);
    this.topology = new Topology(config);
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
    auditServices();
    auditOutboxes();
    auditFences();
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
    for (String outbox : outboxSchemas()) {
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
    for (String schema : fenceSchemas()) {
      put(
          n,
          schema + " fence rows tried or parked",
          "SELECT COUNT(*) FROM " + schema + ".tcc_fence_log" + NOT_SETTLED);
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

  /**
   * The invariants the services carry: {@code META-INF/txc/audit/<id>.properties} beside a process
   * descriptor, run once per process of that descriptor with {@code ${schema}} its schema, {@code
   * ${instance}} its instance (a points process's channel) and {@code ${schema:<id>}} another
   * descriptor's. A query naming another descriptor that has instances ({@code ${schema:points}},
   * {@code ${instance:points}}) runs once per instance of it; {@code ${instances:<id>}} is the
   * quoted list of them. Each run is one check: a query of one text column returning one row per
   * violation (up to ten are reported).
   */
  private void auditServices() {
    // an empty tree is refused by Topology.descriptors() with its own error
    List<ProcessDescriptor> descriptors = topology.descriptors();
    for (ProcessDescriptor d : descriptors) {
      Optional<Map<String, String>> invariants =
          d.resource(config.home(), "audit/" + d.id() + ".properties");
      if (invariants.isEmpty()) {
        continue;
      }
      List<String> instances = topology.instances(d);
      for (int i = 0; i < Math.max(1, instances.size()); i++) {
        String instance = instances.isEmpty() ? null : instances.get(i);
        String schema =
            topology
                .schemaOf(d, instance, i)
                .orElseThrow(() -> new CliException(d.id() + " has invariants but no schema"));
        invariants
            .get()
            .forEach(
                (key, sql) -> {
                  if (key.startsWith("check.")) {
                    runCheck(topology, descriptors, new Bound(d, instance, schema), sql);
                  }
                });
      }
    }
  }

  /** The process a service's check runs for, and the instance of another descriptor, if any. */
  private record Bound(ProcessDescriptor d, String instance, String schema) {}

  private static final java.util.regex.Pattern OTHER =
      java.util.regex.Pattern.compile("\\$\\{(?:schema|instance):([a-z0-9-]+)}");

  /** One check per instance of the descriptor with instances that {@code sql} names, else one. */
  private void runCheck(
      Topology topology, List<ProcessDescriptor> descriptors, Bound self, String sql) {
    java.util.Set<String> named = new java.util.TreeSet<>();
    java.util.regex.Matcher m = OTHER.matcher(sql);
    while (m.find()) {
      named.add(m.group(1));
    }
    List<ProcessDescriptor> fanned =
        named.stream()
            .map(id -> descriptor(descriptors, self.d(), id))
            .filter(o -> !topology.instances(o).isEmpty())
            .toList();
    if (fanned.size() > 1) {
      throw new CliException(
          self.d().id() + "'s invariants name two descriptors with instances in one query: " + sql);
    }
    ProcessDescriptor other = fanned.isEmpty() ? null : fanned.get(0);
    List<String> others = other == null ? List.of() : topology.instances(other);
    for (int j = 0; j < Math.max(1, others.size()); j++) {
      String otherInstance = others.isEmpty() ? null : others.get(j);
      int index = j;
      String query =
          ProcessDescriptor.render(
              sql,
              name -> {
                if (other != null && name.equals("schema:" + other.id())) {
                  return topology.schemaOf(other, otherInstance, index).orElseThrow();
                }
                if (other != null && name.equals("instance:" + other.id())) {
                  return otherInstance;
                }
                return value(topology, descriptors, self, name);
              });
      List<String> found = jdbc.queryForList(query + " LIMIT 10", String.class);
      checks++;
      violations.addAll(found);
    }
  }

  private static ProcessDescriptor descriptor(
      List<ProcessDescriptor> descriptors, ProcessDescriptor d, String id) {
    return descriptors.stream()
        .filter(o -> o.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new CliException(d.id() + "'s invariants need process " + id));
  }

  private static String value(
      Topology topology, List<ProcessDescriptor> descriptors, Bound self, String name) {
    ProcessDescriptor d = self.d();
    if (name.equals("schema")) {
      return self.schema();
    }
    if (name.equals("instance") && self.instance() != null) {
      return self.instance();
    }
    if (name.startsWith("schema:")) {
      ProcessDescriptor other = descriptor(descriptors, d, name.substring(7));
      return topology
          .schemaOf(other, null, 0)
          .orElseThrow(
              () -> new CliException(d.id() + "'s invariants need the schema of " + other.id()));
    }
    if (name.startsWith("instances:")) {
      // quoted for SQL: instances are topology names (channels), letters, digits and dashes
      return topology.instances(descriptor(descriptors, d, name.substring(10))).stream()
          .map(i -> "'" + i + "'")
          .reduce((a, b) -> a + ", " + b)
          .orElse("''");
    }
    throw new CliException(d.id() + "'s invariants use an unknown value ${" + name + "}");
  }

  /** A consumer group: the topic it subscribes, its schema, its tag expression. */
  private record Subscription(
      String topic, String group, String schema, TagExpression expression) {}

  /**
   * The schemas of the topology's outboxes ({@link Topology#outboxes}, from the owners'
   * descriptors) that hold an outbox: an owner whose schema does not exist has published nothing.
   */
  private List<String> outboxSchemas() {
    java.util.Set<String> found = schemasWith("outbox_message");
    return topology.outboxes().stream()
        .map(Topology.OutboxOwner::schema)
        .filter(found::contains)
        .toList();
  }

  private java.util.Set<String> schemasWith(String table) {
    return new java.util.HashSet<>(
        jdbc.queryForList(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = ?",
            String.class,
            table));
  }

  /**
   * Every outbox against every consumer group of the topology (from the descriptors): a group may
   * subscribe a topic more than one outbox publishes (the accompaniment groups get the mall's and
   * the fund's events), so what a group applied is checked against all outboxes together.
   */
  private void auditOutboxes() {
    java.util.Set<String> withDedupe = schemasWith("consumed_message");
    List<Subscription> subscriptions = new ArrayList<>();
    for (Topology.Subscription s : topology.subscriptions()) {
      subscriptions.add(
          new Subscription(s.topic(), s.group(), s.schema(), TagExpression.parse(s.tags())));
    }
    List<String> outboxes = outboxSchemas();
    Map<String, java.util.Set<String>> applied = new java.util.HashMap<>();
    for (Subscription sub : subscriptions) {
      // a group whose schema has no dedupe table applied nothing: every match is then a violation
      applied.put(
          sub.group(),
          withDedupe.contains(sub.schema())
              ? new java.util.HashSet<>(
                  jdbc.queryForList(
                      "SELECT message_id FROM "
                          + sub.schema()
                          + ".consumed_message WHERE consumer_group = ?",
                      String.class,
                      sub.group()))
              : new java.util.HashSet<>());
    }
    java.util.Set<String> ready = new java.util.HashSet<>();
    for (String outbox : outboxes) {
      ready.addAll(
          jdbc.queryForList(
              "SELECT message_id FROM " + outbox + ".outbox_message WHERE status = 'READY'",
              String.class));
      auditOutbox(outbox, subscriptions, applied);
      auditDeliveryOrder(outbox);
    }
    for (Subscription sub : subscriptions) {
      long stray = applied.get(sub.group()).stream().filter(id -> !ready.contains(id)).count();
      check(
          stray == 0,
          "group " + sub.group() + ": " + stray + " applied messages are not READY in any outbox");
    }
  }

  /**
   * Every READY message of {@code outbox} applied exactly once (its {@code consumed_message} row)
   * by every consumer group whose subscription matches its topic and tags, or dead-lettered for
   * that group; no PREPARED message left; nothing applied that is not READY.
   */
  private void auditOutbox(
      String outbox, List<Subscription> subscriptions, Map<String, java.util.Set<String>> applied) {
    long prepared =
        count("SELECT COUNT(*) FROM " + outbox + ".outbox_message WHERE status = 'PREPARED'");
    check(prepared == 0, outbox + ": " + prepared + " messages still PREPARED after quiescence");
    none(
        "SELECT CONCAT(o.business_key, ' ', o.status, ' to ', d.consumer_group) FROM "
            + outbox
            + ".outbox_delivery d JOIN "
            + outbox
            + ".outbox_message o ON o.id = d.message_pk WHERE o.status <> 'READY'",
        outbox + ": messages fanned out or delivered that are not READY");
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
   * The relay's order promise (docs/outbox.md, "Order per (group, business key)"): per consumer
   * group and business key, messages are delivered in message order ({@code outbox_message.id})
   * when the relay knew of both: they became {@code READY} together (one branch, settled in one
   * statement), or the earlier one's delivery row was created (fanned out) before the later one's.
   * A message that committed after a later one of its key was fanned out goes after it, as
   * documented, and is not a violation. One check per outbox; each pair of {@code DELIVERED}
   * deliveries of one group and key that the relay knew of together and whose later message has an
   * earlier {@code delivered_at} is one violation (up to ten are reported). {@code delivered_at} is
   * the database server's UTC clock at the mark, in milliseconds, the same clock for every relay:
   * equal times cannot be ordered and pass. A delivery that was dead-lettered may be re-driven
   * after later ones went ahead, as documented, so an earlier message with a dead letter for that
   * group is left out; so is a delivery with no time.
   */
  private void auditDeliveryOrder(String outbox) {
    List<String> found =
        jdbc.queryForList(
            "SELECT CONCAT('"
                + outbox
                + ": group ', a.consumer_group, ' key ', a.business_key, ': message ',"
                + " mb.message_id, ' (id ', b.message_pk, ') delivered at ', b.delivered_at,"
                + " ' before earlier message ', ma.message_id, ' (id ', a.message_pk, ')"
                + " delivered at ', a.delivered_at) FROM "
                + outbox
                + ".outbox_delivery a JOIN "
                + outbox
                + ".outbox_delivery b ON b.consumer_group = a.consumer_group"
                + " AND b.business_key = a.business_key AND b.message_pk > a.message_pk JOIN "
                + outbox
                + ".outbox_message ma ON ma.id = a.message_pk JOIN "
                + outbox
                + ".outbox_message mb ON mb.id = b.message_pk"
                + " WHERE a.status = 'DELIVERED' AND b.status = 'DELIVERED'"
                + " AND b.delivered_at < a.delivered_at"
                + " AND ((ma.xid = mb.xid AND ma.branch_id = mb.branch_id)"
                + " OR a.created_at < b.created_at) AND NOT EXISTS (SELECT 1 FROM "
                + outbox
                + ".outbox_dead_letter x WHERE x.message_pk = a.message_pk"
                + " AND x.consumer_group = a.consumer_group)"
                + " ORDER BY a.consumer_group, a.business_key, a.message_pk, b.message_pk LIMIT 10",
            String.class);
    checks++;
    violations.addAll(found);
  }

  /**
   * No fence row left {@code tried} in any schema of the topology that has a fence table, and every
   * participant's schema has one (a schema the audit cannot see into is a blind spot).
   */
  private void auditFences() {
    List<String> withFence = fenceSchemas();
    for (String schema : participantSchemas()) {
      check(withFence.contains(schema), schema + ": no tcc_fence_log to audit");
    }
    for (String schema : withFence) {
      noFenceTried(schema);
    }
  }

  /** The topology's schemas that have a {@code tcc_fence_log}, in the topology's order. */
  private List<String> fenceSchemas() {
    java.util.Set<String> found =
        new java.util.HashSet<>(
            jdbc.queryForList(
                "SELECT table_schema FROM information_schema.tables"
                    + " WHERE table_name = 'tcc_fence_log'",
                String.class));
    return config.schemas().stream().filter(found::contains).toList();
  }

  /**
   * One check: {@code sql} (selecting one text column, the offending keys) finds nothing; the
   * violation names up to ten of what it found.
   */
  private void none(String sql, String violation, Object... args) {
    List<String> found = jdbc.queryForList(sql + " LIMIT 10", String.class, args);
    check(found.isEmpty(), violation + ": " + found);
  }

  private void noFenceTried(String schema) {
    long tried = count("SELECT COUNT(*) FROM " + schema + ".tcc_fence_log" + NOT_SETTLED);
    check(tried == 0, schema + ": " + tried + " fence rows left tried or parked");
  }

  private List<String> participantSchemas() {
    return topology.fenceSchemas();
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
