package io.txcenter.tools.bench;

import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.CommandOutcome;
import io.txcenter.tools.topology.Options;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bin/txc bench}: the mall order under four arms, side by side in one run on one topology:
 * {@code tcc} (the real order: order branch, outbox branch, a points freeze in two channels, two
 * quota freezes, Confirm), {@code plain} (the same Dubbo calls and row updates without the TC, the
 * fence or the Try/Confirm split), {@code monolith} (the same row updates in one local transaction
 * on one schema) and {@code at} (the plain arm's work in one Seata AT global transaction on the
 * same TC: what a Seata user would pick instead of TCC). Each point is a closed loop of {@code c}
 * callers for a fixed time, after a warm-up per arm; points are repeated and interleaved (level,
 * repeat, arm) so that drift of a noisy machine spreads over all arms. Then a sweep of global
 * transactions of 1, 2, 4, 8 TCC branches at one concurrency. Writes JSON, a markdown table and a
 * PNG chart.
 */
public final class BenchCommand {

  /** The knobs of a run, validated. */
  public record Plan(
      List<String> arms,
      List<Integer> levels,
      int repeats,
      int seconds,
      int warmupSeconds,
      List<Integer> branches,
      int branchConcurrency,
      int fenceRows,
      int fenceRowsAgeSeconds,
      Path out) {

    public static Plan from(Map<String, String> o, Path home, Path runDir) {
      boolean quick = o.containsKey("quick");
      List<String> arms = List.of(o.getOrDefault("arms", String.join(",", ARMS)).split(","));
      if (arms.isEmpty() || !ARMS.containsAll(arms) || !arms.contains("tcc")) {
        throw new CliException(
            "--arms must be a comma-separated subset of "
                + ARMS
                + " that holds tcc, was ["
                + o.get("arms")
                + "]");
      }
      List<Integer> levels =
          ints(o.getOrDefault("levels", quick ? "1,4,16" : "1,4,16,64"), "levels", 1, 256);
      int repeats = Options.whole(o, "repeats", quick ? 1 : 3, 1, 20);
      int seconds = Options.whole(o, "seconds", quick ? 4 : 8, 1, 600);
      int warmup = Options.whole(o, "warmup", quick ? 3 : 10, 0, 600);
      List<Integer> branches = ints(o.getOrDefault("branches", "1,2,4,8"), "branches", 1, 16);
      int branchConcurrency = Options.whole(o, "branch-concurrency", 8, 1, 256);
      int fenceRows = Options.whole(o, "fence-rows", 0, 0, 10_000_000);
      int fenceRowsAge = Options.whole(o, "fence-rows-age", 3_600, 0, 86_400 * 30);
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
          List.copyOf(arms),
          levels,
          repeats,
          seconds,
          warmup,
          branches,
          branchConcurrency,
          fenceRows,
          fenceRowsAge,
          out);
    }

    private static List<Integer> ints(String text, String key, int min, int max) {
      List<Integer> values = new ArrayList<>();
      for (String part : text.split(",")) {
        if (!part.matches("\\d{1,4}")
            || Integer.parseInt(part) < min
            || Integer.parseInt(part) > max) {
          throw new CliException(
              "--"
                  + key
                  + " must be a comma-separated list of numbers in ["
                  + min
                  + ", "
                  + max
                  + "], was ["
                  + text
                  + "]");
        }
        values.add(Integer.parseInt(part));
      }
      return List.copyOf(values);
    }
  }

  /** One measured point. */
  record Point(
      String arm,
      int concurrency,
      int repeat,
      long ok,
      long errors,
      double seconds,
      long p50Micros,
      long p95Micros,
      long p99Micros,
      Map<String, Double> coresByKind,
      long dbStatements) {

    double throughput() {
      return ok / seconds;
    }

    /** Statements the database server ran per committed call (all clients, COMMITs included). */
    double statementsPerCall() {
      return ok == 0 ? 0 : (double) dbStatements / ok;
    }
  }

  /** One call of an arm; true when the transaction committed. */
  interface Call {
    boolean call(String orderNo, long user);
  }

  /** The arms, in the order each level runs them. */
  static final List<String> ARMS = List.of("tcc", "plain", "monolith", "at");

  private static final int USERS = 256;
  private static final long FIRST_USER = 9_000_000L;

  private final TopologyConfig config;
  private final Topology topology;
  private final JdbcTemplate server;
  private final PrintStream out;
  private final AtomicLong sequence = new AtomicLong();
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

  public BenchCommand(Topology topology, PrintStream out) {
    this.config = topology.config();
    this.topology = topology;
    this.server = config.serverJdbc();
    this.out = out;
  }

  /** Runs the plan; returns the last line, which the caller prints once the topology is down. */
  public CommandOutcome run(Plan plan) throws Exception {
    long started = System.currentTimeMillis();
    List<Point> points = new ArrayList<>();
    List<Point> sweep = new ArrayList<>();
    try (Clients clients = new Clients(config)) {
      seed(clients);
      if (plan.fenceRows() > 0) {
        fillFences(plan.fenceRows(), plan.fenceRowsAgeSeconds());
      }
      Map<String, Call> arms = new LinkedHashMap<>();
      arms.put(
          "tcc",
          (no, user) ->
              clients.mall().placeOrder(order(no, user)).status() == OrderStatus.CONFIRMED);
      arms.put(
          "plain",
          (no, user) ->
              clients
                      .reference(io.txcenter.bench.api.OrderBenchService.class, null)
                      .placePlain(order(no, user))
                      .status()
                  == OrderStatus.CONFIRMED);
      arms.put(
          "monolith",
          (no, user) ->
              clients
                      .reference(io.txcenter.bench.api.OrderBenchService.class, null)
                      .placeMonolith(order(no, user))
                      .status()
                  == OrderStatus.CONFIRMED);
      arms.put(
          "at",
          (no, user) ->
              clients
                      .reference(io.txcenter.bench.api.AtOrderService.class, null)
                      .placeAt(order(no, user))
                      .status()
                  == OrderStatus.CONFIRMED);
      arms.keySet().retainAll(plan.arms());
      for (Map.Entry<String, Call> arm : arms.entrySet()) {
        if (plan.warmupSeconds() > 0) {
          measure(arm.getKey(), 4, 0, plan.warmupSeconds(), arm.getValue());
        }
      }
      for (int level : plan.levels()) {
        for (int r = 1; r <= plan.repeats(); r++) {
          for (Map.Entry<String, Call> arm : arms.entrySet()) {
            Point p = measure(arm.getKey(), level, r, plan.seconds(), arm.getValue());
            points.add(p);
            print(p);
          }
        }
      }
      for (int r = 1; r <= plan.repeats(); r++) {
        for (int n : plan.branches()) {
          Point p =
              measure(
                  "tcc-" + n + "-branches",
                  plan.branchConcurrency(),
                  r,
                  plan.seconds(),
                  (no, user) ->
                      clients
                              .reference(io.txcenter.bench.api.OrderBenchService.class, null)
                              .placeWithBranches(no, user, config.channels().get(0), n)
                          == OrderStatus.CONFIRMED);
          sweep.add(p);
          print(p);
        }
      }
    }
    Report report = new Report(plan, points, sweep, System.currentTimeMillis() - started);
    Files.createDirectories(plan.out());
    Files.writeString(plan.out().resolve("results.json"), report.json(), StandardCharsets.UTF_8);
    Files.writeString(plan.out().resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
    report.chart(plan.out().resolve("throughput.png"));
    BenchCharts.cpuChart(
        report.atBestLevel(), report.bestLevel(), plan.out().resolve("cpu-per-order.png"));
    BenchCharts.statementsChart(
        report.atBestLevel(), report.bestLevel(), plan.out().resolve("statements-per-order.png"));
    out.print(report.markdown());
    out.println("written to " + plan.out());
    return new CommandOutcome(0, report.line());
  }

  private void seed(Clients clients) {
    for (String channel : config.channels()) {
      clients.portal().grant(channel, 900_000_000L, "bench seed");
      for (long u = FIRST_USER; u < FIRST_USER + USERS; u++) {
        clients.points(channel).grant(channel, u, 900_000_000L, "bench seed");
      }
    }
    clients
        .reference(io.txcenter.bench.api.OrderBenchService.class, null)
        .seedMonolith(config.channels(), FIRST_USER, USERS, 900_000_000L, 900_000_000L);
  }

  /**
   * Puts {@code rows} settled (committed) fence rows into the fence table of every schema an order
   * writes to: the table as it stands when the clean task keeps a day of rows ({@code
   * txc.fence.retention}, P1D by default), for measuring whether its size costs anything; rows last
   * changed {@code ageSeconds} ago, so that a short retention has the clean task delete them while
   * the arms run (docs/bench/README.md, lever 15).
   */
  private void fillFences(int rows, int ageSeconds) {
    List<String> schemas = new ArrayList<>();
    config.channels().forEach(c -> schemas.add(config.schemaOfChannel(c)));
    schemas.add(config.schema("portal"));
    schemas.add(config.schema("mall"));
    int digits = Integer.toString(rows - 1).length();
    StringBuilder numbers = new StringBuilder("SELECT ");
    StringBuilder from = new StringBuilder(" FROM ");
    for (int i = 0; i < digits; i++) {
      numbers.append(i == 0 ? "" : " + ").append("d").append(i).append(".d * 1");
      numbers.append("0".repeat(i));
      from.append(i == 0 ? "" : ", ")
          .append("(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3")
          .append(" UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7")
          .append(" UNION ALL SELECT 8 UNION ALL SELECT 9) d")
          .append(i);
    }
    String sequence = numbers + " AS n" + from;
    for (String schema : schemas) {
      long started = System.nanoTime();
      server.update(
          "INSERT INTO `"
              + schema
              + "`.tcc_fence_log (xid, branch_id, action_name, status, gmt_create, gmt_modified)"
              + " SELECT CONCAT('bench-fill:', n), n, 'benchFill', 2,"
              + " NOW(3) - INTERVAL ? SECOND, NOW(3) - INTERVAL ? SECOND FROM ("
              + sequence
              + ") s WHERE n < ?",
          ageSeconds,
          ageSeconds,
          rows);
      out.printf(
          Locale.ROOT,
          "bench: %d settled fence rows in %s (%.1f s)%n",
          rows,
          schema,
          (System.nanoTime() - started) / 1e9);
    }
  }

  private PlaceOrderRequest order(String orderNo, long user) {
    return new PlaceOrderRequest(
        orderNo,
        user,
        List.of(
            new OrderLine(config.channels().get(0), 5),
            new OrderLine(config.channels().get(1), 3)));
  }

  /**
   * A closed loop of {@code concurrency} callers for {@code seconds}, with CPU per process kind.
   */
  private Point measure(String arm, int concurrency, int repeat, int seconds, Call call)
      throws InterruptedException {
    Map<String, Long> cpuBefore = cpuTicksByKind();
    long statementsBefore = serverStatements();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int t = 0; t < concurrency; t++) {
      long user = FIRST_USER + (t * 7L) % USERS;
      Thread caller =
          new Thread(
              () -> {
                try {
                  long u = user;
                  while (System.nanoTime() < deadline) {
                    String no = "bn-" + run + "-" + sequence.incrementAndGet();
                    long t0 = System.nanoTime();
                    boolean committed;
                    try {
                      committed = call.call(no, u);
                    } catch (RuntimeException e) {
                      committed = false;
                    }
                    long micros = (System.nanoTime() - t0) / 1_000;
                    if (committed) {
                      ok.incrementAndGet();
                      latencies.add(micros);
                    } else {
                      errors.incrementAndGet();
                    }
                    u = FIRST_USER + (u - FIRST_USER + 1) % USERS;
                  }
                } finally {
                  done.countDown();
                }
              },
              "bench-" + arm + "-" + t);
      caller.setDaemon(true);
      caller.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Map<String, Long> cpuAfter = cpuTicksByKind();
    long statements = serverStatements() - statementsBefore;
    Map<String, Double> cores = new TreeMap<>();
    cpuAfter.forEach(
        (kind, ticks) ->
            cores.put(
                kind,
                Math.round((ticks - cpuBefore.getOrDefault(kind, 0L)) / CLOCK_TICKS / elapsed * 100)
                    / 100.0));
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Point(
        arm,
        concurrency,
        repeat,
        ok.get(),
        errors.get(),
        elapsed,
        percentile(sorted, 50),
        percentile(sorted, 95),
        percentile(sorted, 99),
        cores,
        statements);
  }

  /** The server's statement counter ({@code Questions}): what every client has sent so far. */
  private long serverStatements() {
    Long questions =
        server.query("SHOW GLOBAL STATUS LIKE 'Questions'", rs -> rs.next() ? rs.getLong(2) : 0L);
    return questions == null ? 0 : questions;
  }

  private void print(Point p) {
    out.printf(
        Locale.ROOT,
        "bench: %-18s c=%-3d #%d %7.1f tx/s p50=%.1f p95=%.1f p99=%.1f ms errors=%d db=%.1f/tx"
            + " cpu=%s%n",
        p.arm(),
        p.concurrency(),
        p.repeat(),
        p.throughput(),
        p.p50Micros() / 1e3,
        p.p95Micros() / 1e3,
        p.p99Micros() / 1e3,
        p.errors(),
        p.statementsPerCall(),
        p.coresByKind());
  }

  private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

  /** CPU ticks (user + system) so far of every process of the topology and of this CLI, by kind. */
  private Map<String, Long> cpuTicksByKind() {
    Map<String, Long> ticks = new TreeMap<>();
    for (String name : topology.processNames()) {
      // with its children: the embedded database's launcher runs mariadbd as one
      topology
          .running(name)
          .ifPresent(
              h -> {
                ticks.merge(kindOf(name), cpuTicks(h.pid()), Long::sum);
                h.descendants()
                    .forEach(d -> ticks.merge(kindOf(name), cpuTicks(d.pid()), Long::sum));
              });
    }
    ticks.merge("bench-client", cpuTicks(ProcessHandle.current().pid()), Long::sum);
    return ticks;
  }

  /** The processes a mall order involves; the bench starts only these. */
  public static boolean involved(String process) {
    return switch (kindOf(process)) {
      case "db", "zk", "tc", "points", "portal", "mall" -> true;
      default -> false;
    };
  }

  static String kindOf(String process) {
    if (process.startsWith("points-")) {
      return "points";
    }
    if (process.startsWith("sub-") || process.equals("notifier") || process.equals("merchant")) {
      return "subscribers";
    }
    if (process.startsWith("relay-")) {
      return "relay";
    }
    if (process.startsWith("tc")) {
      return "tc";
    }
    if (process.startsWith("zk")) {
      return "zk";
    }
    return process;
  }

  /** utime + stime of a process, from /proc (0 where /proc is not there). */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** The run's results: medians and spread per arm and level, ratios, files. */
  record Report(Plan plan, List<Point> points, List<Point> sweep, long wallMs) {

    /** Median, min and max throughput of the repeats of one arm at one level. */
    record Summary(
        String arm,
        int concurrency,
        double median,
        double min,
        double max,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        long errors,
        double statementsPerCall,
        Map<String, Double> cores) {}

    List<Summary> summaries(List<Point> source) {
      Map<String, List<Point>> groups = new LinkedHashMap<>();
      for (Point p : source) {
        groups.computeIfAbsent(p.arm() + "@" + p.concurrency(), k -> new ArrayList<>()).add(p);
      }
      List<Summary> result = new ArrayList<>();
      for (List<Point> group : groups.values()) {
        List<Point> byThroughput = new ArrayList<>(group);
        byThroughput.sort((a, b) -> Double.compare(a.throughput(), b.throughput()));
        Point median = byThroughput.get((byThroughput.size() - 1) / 2);
        result.add(
            new Summary(
                median.arm(),
                median.concurrency(),
                median.throughput(),
                byThroughput.get(0).throughput(),
                byThroughput.get(byThroughput.size() - 1).throughput(),
                median.p50Micros() / 1e3,
                median.p95Micros() / 1e3,
                median.p99Micros() / 1e3,
                group.stream().mapToLong(Point::errors).sum(),
                median.statementsPerCall(),
                median.coresByKind()));
      }
      return result;
    }

    private Optional<Summary> find(String arm, int concurrency) {
      return summaries(points).stream()
          .filter(s -> s.arm().equals(arm) && s.concurrency() == concurrency)
          .findFirst();
    }

    /** The level at which the tcc arm's median throughput is highest. */
    int bestLevel() {
      return summaries(points).stream()
          .filter(s -> s.arm().equals("tcc"))
          .max((a, b) -> Double.compare(a.median(), b.median()))
          .map(Summary::concurrency)
          .orElseThrow();
    }

    /**
     * tcc over {@code other} at the tcc arm's best level; NaN when {@code other} did not run or
     * committed nothing there (its row in the table says which), never an infinity the JSON could
     * not hold.
     */
    double ratio(String other) {
      int level = bestLevel();
      double tcc = find("tcc", level).orElseThrow().median();
      return find(other, level)
          .filter(s -> s.median() > 0)
          .map(s -> tcc / s.median())
          .orElse(Double.NaN);
    }

    /** Scripts read it: the first two ratios stay first, as they were before the at arm. */
    String line() {
      return "bench: tcc/plain="
          + ratioText("plain")
          + " tcc/monolith="
          + ratioText("monolith")
          + " tcc/at="
          + ratioText("at");
    }

    private String ratioText(String other) {
      double ratio = ratio(other);
      return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** One summary per arm at the tcc arm's best level, in the plan's arm order. */
    List<Summary> atBestLevel() {
      int level = bestLevel();
      List<Summary> result = new ArrayList<>();
      for (String arm : plan.arms()) {
        find(arm, level).ifPresent(result::add);
      }
      return result;
    }

    String markdown() {
      StringBuilder b = new StringBuilder();
      b.append("| arm | concurrency | tx/s median | tx/s min–max | p50 ms | p95 ms | p99 ms |")
          .append(" errors | db statements per tx | CPU cores by process kind |\n");
      b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      for (Summary s : summaries(points)) {
        row(b, s);
      }
      b.append("\nRatios at concurrency ")
          .append(bestLevel())
          .append(" (the tcc arm's best): ")
          .append(line().substring("bench: ".length()))
          .append("\n");
      b.append(BenchCharts.table(atBestLevel(), bestLevel())).append('\n');
      b.append("| branches | concurrency | tx/s median | tx/s min–max | p50 ms | p95 ms | p99 ms |")
          .append(" errors | db statements per tx | CPU cores by process kind |\n");
      b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      for (Summary s : summaries(sweep)) {
        row(b, s);
      }
      return b.toString();
    }

    private static void row(StringBuilder b, Summary s) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f–%.1f | %.1f | %.1f | %.1f | %d | %.1f | %s |%n",
              s.arm(),
              s.concurrency(),
              s.median(),
              s.min(),
              s.max(),
              s.p50Ms(),
              s.p95Ms(),
              s.p99Ms(),
              s.errors(),
              s.statementsPerCall(),
              s.cores()));
    }

    String json() {
      StringBuilder b = new StringBuilder("{\n");
      b.append("  \"finishedAt\": \"").append(Instant.now()).append("\",\n");
      b.append("  \"wallMs\": ").append(wallMs).append(",\n");
      b.append("  \"secondsPerPoint\": ").append(plan.seconds()).append(",\n");
      b.append("  \"repeats\": ").append(plan.repeats()).append(",\n");
      b.append("  \"bestLevel\": ").append(bestLevel()).append(",\n");
      b.append("  \"ratios\": {\"tccOverPlain\": ")
          .append(jsonNumber(ratio("plain")))
          .append(", \"tccOverMonolith\": ")
          .append(jsonNumber(ratio("monolith")))
          .append(", \"tccOverAt\": ")
          .append(jsonNumber(ratio("at")))
          .append("},\n");
      b.append("  \"points\": [\n");
      appendPoints(b, points);
      b.append("  ],\n  \"branchSweep\": [\n");
      appendPoints(b, sweep);
      b.append("  ]\n}\n");
      return b.toString();
    }

    private static String jsonNumber(double value) {
      return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static void appendPoints(StringBuilder b, List<Point> list) {
      for (int i = 0; i < list.size(); i++) {
        Point p = list.get(i);
        StringBuilder cores = new StringBuilder("{");
        p.coresByKind()
            .forEach(
                (k, v) ->
                    cores
                        .append(cores.length() > 1 ? ", " : "")
                        .append('"')
                        .append(k)
                        .append("\": ")
                        .append(v));
        cores.append('}');
        b.append(
            String.format(
                Locale.ROOT,
                "    {\"arm\": \"%s\", \"concurrency\": %d, \"repeat\": %d, \"ok\": %d, \"errors\":"
                    + " %d, \"seconds\": %.3f, \"txPerSecond\": %.2f, \"p50Ms\": %.2f, \"p95Ms\":"
                    + " %.2f, \"p99Ms\": %.2f, \"dbStatements\": %d, \"cores\": %s}%s%n",
                p.arm(),
                p.concurrency(),
                p.repeat(),
                p.ok(),
                p.errors(),
                p.seconds(),
                p.throughput(),
                p.p50Micros() / 1e3,
                p.p95Micros() / 1e3,
                p.p99Micros() / 1e3,
                p.dbStatements(),
                cores,
                i + 1 < list.size() ? "," : ""));
      }
    }

    void chart(Path png) throws IOException {
      System.setProperty("java.awt.headless", "true");
      XYSeriesCollection data = new XYSeriesCollection();
      for (String arm : plan.arms()) {
        XYSeries series = new XYSeries(arm);
        Predicate<Summary> ofArm = s -> s.arm().equals(arm);
        summaries(points).stream()
            .filter(ofArm)
            .forEach(s -> series.add(s.concurrency(), s.median()));
        data.addSeries(series);
      }
      JFreeChart chart =
          ChartFactory.createXYLineChart(
              "Mall order throughput by concurrency (median of repeats)",
              "concurrent callers",
              "committed orders per second",
              data,
              PlotOrientation.VERTICAL,
              true,
              false,
              false);
      LogAxis x = new LogAxis("concurrent callers");
      x.setBase(2);
      x.setSmallestValue(1);
      x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // one tick per power of two
      x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
      chart.getXYPlot().setDomainAxis(x);
      ((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) chart.getXYPlot().getRenderer())
          .setDefaultShapesVisible(true);
      ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }
  }
}
