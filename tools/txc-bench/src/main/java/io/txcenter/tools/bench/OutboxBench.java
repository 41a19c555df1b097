package io.txcenter.tools.bench;

import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.CommandOutcome;
import io.txcenter.tools.topology.Options;
import io.txcenter.tools.topology.ProcessDescriptor;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bin/txc bench --outbox}: how long an order's events take from commit to applied in each
 * accompaniment consumer group, at fixed order rates, and how many deliveries per second the relay
 * makes when it has a backlog. Runs on a topology of the processes an order involves plus the
 * relays and the subscribers of the mall's topic. Commit time is the outbox row's {@code ready_at}
 * (set by the Confirm, UTC); applied time is the group's dedupe row's {@code consumed_at} (written
 * in the same local transaction as the effect, in the server's time zone, which is corrected for):
 * both the database's clock, in milliseconds.
 */
public final class OutboxBench {

  /** The outbox the orders publish through, and the topic of its events. */
  static final String OUTBOX = "mall";

  static final String TOPIC = "accompaniment";

  /** The rate whose p99 the summary line gives (issue 16's target: 250 ms at 20 orders/s). */
  static final int HEADLINE_RATE = 20;

  /** How long the events of one phase may take to be applied once its orders are placed. */
  private static final long SETTLE_SECONDS = 120;

  private static final int USERS = 64;
  private static final long FIRST_USER = 9_500_000L;

  /** The knobs of the outbox part, validated. */
  public record Plan(
      List<Integer> rates,
      int seconds,
      int warmupSeconds,
      int burst,
      int burstConcurrency,
      int idleSeconds,
      Path out) {

    public static Plan from(Map<String, String> o, Path home, Path runDir) {
      boolean quick = o.containsKey("quick");
      String text = o.getOrDefault("rates", "10,20,40");
      List<Integer> rates = new ArrayList<>();
      for (String part : text.split(",", -1)) {
        if (!part.matches("\\d{1,3}")
            || Integer.parseInt(part) < 1
            || Integer.parseInt(part) > 500) {
          throw new CliException(
              "--rates must be a comma-separated list of orders per second in [1, 500], was ["
                  + text
                  + "]");
        }
        rates.add(Integer.parseInt(part));
      }
      Path out =
          Path.of(
                  o.getOrDefault(
                      "out",
                      quick
                          ? runDir.resolve("bench").toString()
                          : home.resolve("docs/bench").toString()))
              .toAbsolutePath()
              .normalize();
      return new Plan(
          List.copyOf(rates),
          Options.whole(o, "seconds", quick ? 8 : 20, 1, 600),
          Options.whole(o, "warmup", quick ? 3 : 5, 0, 600),
          Options.whole(o, "burst", quick ? 200 : 600, 0, 100_000),
          Options.whole(o, "burst-concurrency", 16, 1, 256),
          Options.whole(o, "idle-seconds", quick ? 3 : 10, 0, 600),
          out);
    }
  }

  /** Commit-to-applied latency of one consumer group (or {@code all}) at one rate. */
  record Latency(String group, int applied, double p50Ms, double p99Ms, double maxMs) {

    static Latency of(String group, List<Long> micros) {
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      return new Latency(
          group,
          sorted.size(),
          BenchCommand.percentile(sorted, 50) / 1e3,
          BenchCommand.percentile(sorted, 99) / 1e3,
          sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e3);
    }
  }

  /** One application of one message by one group, from the database. */
  record Applied(String group, long appliedMicros, long fanOutMicros, int attempts) {}

  /** One fixed-rate phase. */
  record RatePoint(
      int rate,
      long placed,
      long errors,
      double seconds,
      double clientP50Ms,
      double clientP99Ms,
      List<Latency> groups,
      Latency all,
      Latency fanOut,
      long retried,
      boolean settled,
      Map<String, Double> cores,
      double statementsPerSecond,
      double phaseSeconds) {

    double achieved() {
      return placed / seconds;
    }

    /** CPU milliseconds per order placed of one process kind, over the phase. */
    double cpuMsPerOrder(String kind) {
      return placed == 0 ? 0 : cores.getOrDefault(kind, 0.0) * phaseSeconds * 1e3 / placed;
    }

    /** Database statements per order placed, over the phase (the idle polling included). */
    double statementsPerOrder() {
      return placed == 0 ? 0 : statementsPerSecond * phaseSeconds / placed;
    }
  }

  /**
   * The burst: {@code orders} placed as fast as {@code burstConcurrency} callers can, then every
   * delivery of their events. {@code drainPerSecond} counts only deliveries after the last commit,
   * when the relay had nothing left to do but its backlog; {@code overallPerSecond} all of them
   * from the first commit to the last delivery.
   */
  record Saturation(
      long orders,
      double placeSeconds,
      long deliveries,
      double overallPerSecond,
      long backlog,
      double drainPerSecond,
      boolean settled,
      Map<String, Double> cores) {

    /** A relay that kept up (a backlog under a tenth of the deliveries) was not saturated. */
    boolean saturated() {
      return backlog >= Math.max(1, deliveries / 10) && !Double.isNaN(drainPerSecond);
    }

    /** The drain rate when the relay had a backlog, else the overall rate (a lower bound). */
    double headline() {
      return saturated() ? drainPerSecond : overallPerSecond;
    }

    /**
     * From the commit times of the burst's messages and the delivery times of their deliveries
     * (milliseconds on the database's clock).
     */
    static Saturation of(
        long orders,
        double placeSeconds,
        List<Long> readyMs,
        List<Long> deliveredMs,
        boolean ok,
        Map<String, Double> cores) {
      if (readyMs.isEmpty() || deliveredMs.isEmpty()) {
        return new Saturation(
            orders, placeSeconds, deliveredMs.size(), 0, 0, Double.NaN, ok, cores);
      }
      long firstReady = Collections.min(readyMs);
      long lastReady = Collections.max(readyMs);
      long lastDelivered = Collections.max(deliveredMs);
      long backlog = deliveredMs.stream().filter(t -> t > lastReady).count();
      double overall = deliveredMs.size() / (Math.max(1, lastDelivered - firstReady) / 1e3);
      double drain =
          lastDelivered > lastReady ? backlog / ((lastDelivered - lastReady) / 1e3) : Double.NaN;
      return new Saturation(
          orders, placeSeconds, deliveredMs.size(), overall, backlog, drain, ok, cores);
    }
  }

  /** The idle cost: what the topology does with no orders (the relay's polling, mostly). */
  record Idle(double seconds, Map<String, Double> cores, double statementsPerSecond) {}

  private final TopologyConfig config;
  private final Topology topology;
  private final JdbcTemplate server;
  private final PrintStream out;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  private final String mallSchema;
  private final Map<String, String> groupSchemas = new LinkedHashMap<>();

  public OutboxBench(Topology topology, PrintStream out) {
    this.config = topology.config();
    this.topology = topology;
    this.server = config.serverJdbc();
    this.out = out;
    this.mallSchema =
        topology.outboxes().stream()
            .filter(o -> o.name().equals(OUTBOX))
            .findFirst()
            .orElseThrow(() -> new CliException("no process declares outbox " + OUTBOX))
            .schema();
    topology.subscriptions().stream()
        .filter(s -> s.topic().equals(TOPIC))
        .forEach(s -> groupSchemas.put(s.group(), s.schema()));
  }

  /**
   * The processes of the outbox part: those an order involves ({@link BenchCommand#involved}), the
   * relays and the subscribers of the mall's topic, from the descriptors ({@code stage=relay},
   * {@code consumer.topic=accompaniment}).
   */
  public static Predicate<String> involved(Topology topology) {
    Set<String> more = new HashSet<>();
    for (ProcessDescriptor d : topology.descriptors()) {
      if ("relay".equals(d.get("stage")) || TOPIC.equals(d.get("consumer.topic"))) {
        List<String> instances = topology.instances(d);
        if (instances.isEmpty()) {
          more.add(d.id());
        }
        instances.forEach(i -> more.add(d.id() + "-" + i));
      }
    }
    return name -> BenchCommand.involved(name) || more.contains(name);
  }

  /** Runs the plan; returns the summary line, which the caller prints once the topology is down. */
  public CommandOutcome run(Plan plan) throws Exception {
    long started = System.currentTimeMillis();
    List<RatePoint> points = new ArrayList<>();
    Idle idle = null;
    Saturation saturation = null;
    ExecutorService callers =
        Executors.newFixedThreadPool(
            64,
            r -> {
              Thread t = new Thread(r, "outbox-bench-caller");
              t.setDaemon(true);
              return t;
            });
    try (Clients clients = new Clients(config)) {
      seed(clients);
      if (plan.warmupSeconds() > 0) {
        // the relay's first delivery to each group opens its Dubbo reference (about 1.4 s)
        out.printf("outbox: warm-up %d s at 10 orders/s%n", plan.warmupSeconds());
        fixedRate(clients, callers, "w", 10, plan.warmupSeconds());
        awaitSettled(prefix("w"));
      }
      if (plan.idleSeconds() > 0) {
        idle = idle(plan.idleSeconds());
        out.printf(
            Locale.ROOT,
            "outbox: idle %d s: %.1f db statements/s cpu=%s%n",
            plan.idleSeconds(),
            idle.statementsPerSecond(),
            idle.cores());
      }
      for (int rate : plan.rates()) {
        RatePoint p = ratePoint(clients, callers, rate, plan.seconds());
        points.add(p);
        print(p);
      }
      if (plan.burst() > 0) {
        saturation = burst(clients, plan.burst(), plan.burstConcurrency());
        out.printf(
            Locale.ROOT,
            "outbox: burst of %d orders in %.1f s: %d deliveries, %.0f/s overall, backlog %d at the"
                + " last commit drained at %.0f/s%n",
            saturation.orders(),
            saturation.placeSeconds(),
            saturation.deliveries(),
            saturation.overallPerSecond(),
            saturation.backlog(),
            saturation.drainPerSecond());
      }
    } finally {
      callers.shutdownNow();
    }
    Report report =
        new Report(plan, points, idle, saturation, System.currentTimeMillis() - started);
    Files.createDirectories(plan.out());
    Files.writeString(
        plan.out().resolve("outbox-results.json"), report.json(), StandardCharsets.UTF_8);
    Files.writeString(
        plan.out().resolve("outbox-results.md"), report.markdown(), StandardCharsets.UTF_8);
    BenchCharts.outboxLatencyChart(points, plan.out().resolve("outbox-latency.png"));
    out.print(report.markdown());
    out.println("written to " + plan.out());
    return new CommandOutcome(report.allSettled() ? 0 : 1, report.line());
  }

  private void seed(Clients clients) {
    for (String channel : config.channels().subList(0, 2)) {
      clients.portal().grant(channel, 900_000_000L, "outbox bench seed");
      for (long u = FIRST_USER; u < FIRST_USER + USERS; u++) {
        clients.points(channel).grant(channel, u, 900_000_000L, "outbox bench seed");
      }
    }
  }

  private String prefix(String phase) {
    return "ob-" + run + "-" + phase + "-";
  }

  private PlaceOrderRequest order(String orderNo, long n) {
    return new PlaceOrderRequest(
        orderNo,
        FIRST_USER + n % USERS,
        List.of(
            new OrderLine(config.channels().get(0), 5),
            new OrderLine(config.channels().get(1), 3)));
  }

  /** What the callers of one phase saw. */
  private record Placed(long ok, long errors, double seconds, List<Long> latencyMicros) {}

  /**
   * An open loop: order {@code i} is sent at {@code i / rate} s, whatever the previous ones do, so
   * a slow topology makes orders late (their client latency counts from when they were due) rather
   * than fewer.
   */
  private Placed fixedRate(
      Clients clients, ExecutorService callers, String phase, int rate, int seconds)
      throws Exception {
    String prefix = prefix(phase);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Future<?>> sent = new ArrayList<>();
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long n = i;
      sent.add(
          callers.submit(
              () -> {
                boolean committed;
                try {
                  OrderResult result = clients.mall().placeOrder(order(prefix + n, n));
                  committed = result.status() == OrderStatus.CONFIRMED;
                  if (!committed) {
                    firstError.compareAndSet(null, result.toString());
                  }
                } catch (RuntimeException e) {
                  committed = false;
                  firstError.compareAndSet(null, e.toString());
                }
                if (committed) {
                  ok.incrementAndGet();
                  latencies.add((System.nanoTime() - due) / 1_000);
                } else {
                  errors.incrementAndGet();
                }
              }));
    }
    for (Future<?> f : sent) {
      f.get();
    }
    if (firstError.get() != null) {
      String first = firstError.get();
      out.printf(
          "outbox: %d orders of %s not committed, the first: %s%n",
          errors.get(), prefix + "*", first.length() > 300 ? first.substring(0, 300) + "…" : first);
    }
    return new Placed(
        ok.get(), errors.get(), (System.nanoTime() - start) / 1e9, new ArrayList<>(latencies));
  }

  private RatePoint ratePoint(Clients clients, ExecutorService callers, int rate, int seconds)
      throws Exception {
    String phase = "r" + rate;
    Map<String, Long> cpuBefore = cpuTicksByKind();
    long statementsBefore = serverStatements();
    long t0 = System.nanoTime();
    Placed placed = fixedRate(clients, callers, phase, rate, seconds);
    boolean settled = awaitSettled(prefix(phase));
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> cores = coresSince(cpuBefore, elapsed);
    double statements = (serverStatements() - statementsBefore) / elapsed;
    List<Applied> applied = applied(prefix(phase));
    List<Long> sortedClient = new ArrayList<>(placed.latencyMicros());
    Collections.sort(sortedClient);
    return new RatePoint(
        rate,
        placed.ok() + placed.errors(),
        placed.errors(),
        placed.seconds(),
        BenchCommand.percentile(sortedClient, 50) / 1e3,
        BenchCommand.percentile(sortedClient, 99) / 1e3,
        byGroup(applied),
        Latency.of("all", applied.stream().map(Applied::appliedMicros).toList()),
        Latency.of(
            "fan-out",
            applied.stream().filter(a -> a.attempts() == 1).map(Applied::fanOutMicros).toList()),
        applied.stream().filter(a -> a.attempts() > 1).count(),
        settled,
        cores,
        statements,
        elapsed);
  }

  /** Per consumer group, in the topology's order of the groups. */
  List<Latency> byGroup(List<Applied> applied) {
    List<Latency> groups = new ArrayList<>();
    for (String group : groupSchemas.keySet()) {
      groups.add(
          Latency.of(
              group,
              applied.stream()
                  .filter(a -> a.group().equals(group))
                  .map(Applied::appliedMicros)
                  .toList()));
    }
    return groups;
  }

  private Saturation burst(Clients clients, int orders, int concurrency) throws Exception {
    String prefix = prefix("b");
    AtomicLong next = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    Map<String, Long> cpuBefore = cpuTicksByKind();
    long start = System.nanoTime();
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      callers.add(
          pool.submit(
              () -> {
                for (long n = next.getAndIncrement(); n < orders; n = next.getAndIncrement()) {
                  try {
                    if (clients.mall().placeOrder(order(prefix + n, n)).status()
                        == OrderStatus.CONFIRMED) {
                      ok.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    // counted as not placed: the saturation is over what committed
                  }
                }
              }));
    }
    for (Future<?> f : callers) {
      f.get();
    }
    pool.shutdown();
    double placeSeconds = (System.nanoTime() - start) / 1e9;
    boolean settled = awaitSettled(prefix);
    Map<String, Double> cores = coresSince(cpuBefore, (System.nanoTime() - start) / 1e9);
    String anchor = "'2000-01-01 00:00:00'";
    List<Long> ready =
        server.queryForList(
            "SELECT TIMESTAMPDIFF(MICROSECOND, "
                + anchor
                + ", ready_at) DIV 1000 FROM `"
                + mallSchema
                + "`.outbox_message WHERE business_key LIKE ? AND status = 'READY'",
            Long.class,
            prefix + "%");
    List<Long> delivered =
        server.queryForList(
            "SELECT TIMESTAMPDIFF(MICROSECOND, "
                + anchor
                + ", d.delivered_at) DIV 1000 FROM `"
                + mallSchema
                + "`.outbox_delivery d JOIN `"
                + mallSchema
                + "`.outbox_message m ON m.id = d.message_pk"
                + " WHERE m.business_key LIKE ? AND d.status = 'DELIVERED'",
            Long.class,
            prefix + "%");
    return Saturation.of(ok.get(), placeSeconds, ready, delivered, settled, cores);
  }

  private Idle idle(int seconds) throws InterruptedException {
    Map<String, Long> cpuBefore = cpuTicksByKind();
    long statementsBefore = serverStatements();
    long t0 = System.nanoTime();
    TimeUnit.SECONDS.sleep(seconds); // measuring what happens with nothing to do
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> cores = coresSince(cpuBefore, elapsed);
    return new Idle(elapsed, cores, (serverStatements() - statementsBefore) / elapsed);
  }

  /**
   * Waits until every event of the phase's orders is settled: none PREPARED, none READY and not yet
   * fanned out, no delivery PENDING. False after {@link #SETTLE_SECONDS}.
   */
  private boolean awaitSettled(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
    String sql =
        "SELECT (SELECT COUNT(*) FROM `"
            + mallSchema
            + "`.outbox_message WHERE business_key LIKE ? AND (status = 'PREPARED' OR (status ="
            + " 'READY' AND fanned_out = 0))) + (SELECT COUNT(*) FROM `"
            + mallSchema
            + "`.outbox_delivery d JOIN `"
            + mallSchema
            + "`.outbox_message m ON m.id = d.message_pk WHERE m.business_key LIKE ? AND d.status"
            + " = 'PENDING')";
    while (System.nanoTime() < deadline) {
      Long open = server.queryForObject(sql, Long.class, prefix + "%", prefix + "%");
      if (open != null && open == 0) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(250); // polling the database, not synchronising threads
    }
    out.println("outbox: events of " + prefix + "* not settled after " + SETTLE_SECONDS + " s");
    return false;
  }

  /**
   * Every application of the phase's events, per group: commit ({@code ready_at}, UTC) to the
   * dedupe row ({@code consumed_at}, written with the server's default time zone, as the
   * subscribers set none: the offset is taken off), and commit to fan-out (the delivery's first due
   * time).
   */
  private List<Applied> applied(String prefix) {
    long offsetMicros = sessionOffsetMicros();
    List<Applied> applied = new ArrayList<>();
    for (Map.Entry<String, String> group : groupSchemas.entrySet()) {
      applied.addAll(
          server.query(
              "SELECT TIMESTAMPDIFF(MICROSECOND, m.ready_at, c.consumed_at) AS applied_us,"
                  + " TIMESTAMPDIFF(MICROSECOND, m.ready_at, d.next_attempt_at) AS fan_out_us,"
                  + " d.attempts FROM `"
                  + mallSchema
                  + "`.outbox_message m JOIN `"
                  + mallSchema
                  + "`.outbox_delivery d ON d.message_pk = m.id AND d.consumer_group = ?"
                  + " JOIN `"
                  + group.getValue()
                  + "`.consumed_message c ON c.consumer_group = d.consumer_group"
                  + " AND c.message_id = m.message_id"
                  + " WHERE m.business_key LIKE ? AND m.status = 'READY'",
              (rs, i) ->
                  new Applied(
                      group.getKey(),
                      rs.getLong("applied_us") - offsetMicros,
                      rs.getLong("fan_out_us"),
                      rs.getInt("attempts")),
              group.getKey(),
              prefix + "%"));
    }
    return applied;
  }

  /** The server's default time zone's offset from UTC, to the minute. */
  private long sessionOffsetMicros() {
    Long seconds =
        server.queryForObject("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())", Long.class);
    return Math.round((seconds == null ? 0 : seconds) / 60.0) * 60_000_000L;
  }

  private long serverStatements() {
    Long questions =
        server.query("SHOW GLOBAL STATUS LIKE 'Questions'", rs -> rs.next() ? rs.getLong(2) : 0L);
    return questions == null ? 0 : questions;
  }

  private Map<String, Long> cpuTicksByKind() {
    Map<String, Long> ticks = new TreeMap<>();
    for (String name : topology.processNames()) {
      topology
          .running(name)
          .ifPresent(
              h -> {
                ticks.merge(BenchCommand.kindOf(name), BenchCommand.cpuTicks(h.pid()), Long::sum);
                h.descendants()
                    .forEach(
                        d ->
                            ticks.merge(
                                BenchCommand.kindOf(name),
                                BenchCommand.cpuTicks(d.pid()),
                                Long::sum));
              });
    }
    return ticks;
  }

  private Map<String, Double> coresSince(Map<String, Long> before, double seconds) {
    Map<String, Double> cores = new TreeMap<>();
    cpuTicksByKind()
        .forEach(
            (kind, ticks) ->
                cores.put(
                    kind,
                    Math.round((ticks - before.getOrDefault(kind, 0L)) / 100.0 / seconds * 100)
                        / 100.0));
    return cores;
  }

  private void print(RatePoint p) {
    out.printf(
        Locale.ROOT,
        "outbox: %3d/s %d orders (%d errors) commit->applied p50=%.0f p99=%.0f max=%.0f ms"
            + " fan-out p50=%.0f p99=%.0f ms%s cpu=%s%n",
        p.rate(),
        p.placed(),
        p.errors(),
        p.all().p50Ms(),
        p.all().p99Ms(),
        p.all().maxMs(),
        p.fanOut().p50Ms(),
        p.fanOut().p99Ms(),
        p.settled() ? "" : " NOT SETTLED",
        p.cores());
  }

  /** The results of the outbox part: tables, JSON and the summary line. */
  record Report(Plan plan, List<RatePoint> points, Idle idle, Saturation saturation, long wallMs) {

    boolean allSettled() {
      return points.stream().allMatch(RatePoint::settled)
          && (saturation == null || saturation.settled());
    }

    /** The point the summary line quotes: 20/s, else the rate nearest to it. */
    RatePoint headline() {
      return points.stream()
          .min(
              Comparator.<RatePoint>comparingInt(p -> Math.abs(p.rate() - HEADLINE_RATE))
                  .thenComparingInt(RatePoint::rate))
          .orElse(null);
    }

    /** {@code outbox: p99 at 20/s = <ms> ms (p50 <ms> ms), <n> deliveries/s at saturation}. */
    String line() {
      RatePoint p = headline();
      StringBuilder b = new StringBuilder("outbox: ");
      if (p == null) {
        b.append("no rate measured");
      } else {
        b.append(
            String.format(
                Locale.ROOT,
                "p99 at %d/s = %.0f ms (p50 %.0f ms)",
                p.rate(),
                p.all().p99Ms(),
                p.all().p50Ms()));
      }
      if (saturation != null) {
        b.append(
            String.format(
                Locale.ROOT,
                ", %.0f deliveries/s at saturation%s",
                saturation.headline(),
                saturation.saturated() ? "" : " (not saturated: the relay kept up)"));
      }
      if (!allSettled()) {
        b.append(", NOT SETTLED");
      }
      return b.toString();
    }

    String markdown() {
      StringBuilder b = new StringBuilder();
      List<String> groups =
          points.isEmpty()
              ? List.of()
              : points.get(0).groups().stream().map(Latency::group).toList();
      b.append("| orders/s | all: p50 / p99 ms");
      groups.forEach(g -> b.append(" | ").append(g).append(": p50 / p99"));
      b.append(" |\n|").append(" --- |".repeat(2 + groups.size())).append('\n');
      for (RatePoint p : points) {
        b.append(String.format(Locale.ROOT, "| %d | %s", p.rate(), pair(p.all())));
        p.groups().forEach(g -> b.append(" | ").append(pair(g)));
        b.append(" |\n");
      }
      b.append('\n');
      b.append(
          "| orders/s | placed (errors) | achieved/s | order call p50 / p99 ms | applications |"
              + " max ms | commit to fan-out p50 / p99 ms | retried | relay / subscribers CPU ms"
              + " per order | db statements per order | CPU cores by process kind |\n");
      b.append("|").append(" --- |".repeat(11)).append('\n');
      for (RatePoint p : points) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %d | %d (%d) | %.1f | %.0f / %.0f | %d%s | %.0f | %s | %d | %.1f / %.1f | %.0f |"
                    + " %s |%n",
                p.rate(),
                p.placed(),
                p.errors(),
                p.achieved(),
                p.clientP50Ms(),
                p.clientP99Ms(),
                p.all().applied(),
                p.settled() ? "" : " (not settled)",
                p.all().maxMs(),
                pair(p.fanOut()),
                p.retried(),
                p.cpuMsPerOrder("relay"),
                p.cpuMsPerOrder("subscribers"),
                p.statementsPerOrder(),
                p.cores()));
      }
      if (idle != null) {
        b.append(
            String.format(
                Locale.ROOT,
                "%nIdle (%.0f s, no orders): %.0f db statements/s, CPU cores %s.%n",
                idle.seconds(),
                idle.statementsPerSecond(),
                idle.cores()));
      }
      if (saturation != null) {
        b.append(
            String.format(
                Locale.ROOT,
                "%nSaturation: %d orders placed by %d callers in %.1f s (%.1f/s); %d deliveries,"
                    + " %.0f/s from the first commit to the last delivery; %d of them after the"
                    + " last commit, at %.0f/s%s. CPU cores from the first order to the last"
                    + " delivery: %s.%n",
                saturation.orders(),
                plan.burstConcurrency(),
                saturation.placeSeconds(),
                saturation.orders() / saturation.placeSeconds(),
                saturation.deliveries(),
                saturation.overallPerSecond(),
                saturation.backlog(),
                saturation.drainPerSecond(),
                saturation.saturated() ? "" : " (the relay kept up: not saturated)",
                saturation.cores()));
      }
      b.append('\n').append(line()).append('\n');
      return b.toString();
    }

    private static String pair(Latency l) {
      return l.applied() == 0
          ? "–"
          : String.format(Locale.ROOT, "%.0f / %.0f", l.p50Ms(), l.p99Ms());
    }

    String json() {
      StringBuilder b = new StringBuilder("{\n");
      b.append("  \"finishedAt\": \"").append(Instant.now()).append("\",\n");
      b.append("  \"wallMs\": ").append(wallMs).append(",\n");
      b.append("  \"secondsPerRate\": ").append(plan.seconds()).append(",\n");
      b.append("  \"rates\": [\n");
      for (int i = 0; i < points.size(); i++) {
        RatePoint p = points.get(i);
        b.append(
            String.format(
                Locale.ROOT,
                "    {\"rate\": %d, \"placed\": %d, \"errors\": %d, \"seconds\": %.3f,"
                    + " \"clientP50Ms\": %.1f, \"clientP99Ms\": %.1f, \"settled\": %s,"
                    + " \"retried\": %d, \"phaseSeconds\": %.2f, \"dbStatementsPerSecond\": %.1f,"
                    + " \"cores\": %s,"
                    + " \"fanOut\": %s, \"groups\": [%s]}%s%n",
                p.rate(),
                p.placed(),
                p.errors(),
                p.seconds(),
                p.clientP50Ms(),
                p.clientP99Ms(),
                p.settled(),
                p.retried(),
                p.phaseSeconds(),
                p.statementsPerSecond(),
                jsonMap(p.cores()),
                jsonLatency(p.fanOut()),
                String.join(
                    ", ",
                    Stream.concat(Stream.of(p.all()), p.groups().stream())
                        .map(Report::jsonLatency)
                        .toList()),
                i + 1 < points.size() ? "," : ""));
      }
      b.append("  ]");
      if (idle != null) {
        b.append(
            String.format(
                Locale.ROOT,
                ",%n  \"idle\": {\"seconds\": %.1f, \"dbStatementsPerSecond\": %.1f, \"cores\": %s}",
                idle.seconds(),
                idle.statementsPerSecond(),
                jsonMap(idle.cores())));
      }
      if (saturation != null) {
        b.append(
            String.format(
                Locale.ROOT,
                ",%n  \"saturation\": {\"orders\": %d, \"placeSeconds\": %.2f, \"deliveries\": %d,"
                    + " \"overallPerSecond\": %.1f, \"backlog\": %d, \"drainPerSecond\": %s,"
                    + " \"saturated\": %s, \"settled\": %s, \"cores\": %s}",
                saturation.orders(),
                saturation.placeSeconds(),
                saturation.deliveries(),
                saturation.overallPerSecond(),
                saturation.backlog(),
                Double.isNaN(saturation.drainPerSecond())
                    ? "null"
                    : String.format(Locale.ROOT, "%.1f", saturation.drainPerSecond()),
                saturation.saturated(),
                saturation.settled(),
                jsonMap(saturation.cores())));
      }
      b.append("\n}\n");
      return b.toString();
    }

    private static String jsonLatency(Latency l) {
      return String.format(
          Locale.ROOT,
          "{\"group\": \"%s\", \"applied\": %d, \"p50Ms\": %.1f, \"p99Ms\": %.1f, \"maxMs\": %.1f}",
          l.group(),
          l.applied(),
          l.p50Ms(),
          l.p99Ms(),
          l.maxMs());
    }

    private static String jsonMap(Map<String, Double> map) {
      StringBuilder b = new StringBuilder("{");
      map.forEach(
          (k, v) ->
              b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
      return b.append('}').toString();
    }
  }
}
