package io.txcenter.tools.chaos;

import io.txcenter.chaos.KillWindowHook.Window;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code bin/txc chaos --minutes M --seed S}: an HA topology under load while processes are killed
 * ({@code kill -9}) and restarted, then quiescence and the audit.
 *
 * <p>Kills are seeded: the victim kind, the process, the window, the pause before the kill and the
 * delay before the restart all come from one {@link Random} ({@link Schedule}), so a run can be
 * replayed (the moments the load happens to be at differ). The victims and their kinds come from
 * the processes' descriptors ({@link Victim}), not from this class. Kinds are taken round-robin in
 * a shuffled order, so every kind is killed once before any is killed twice. A TCC participant or
 * initiator (a descriptor with {@code fence=true}) is killed inside a window (Try, between Try and
 * Confirm/Cancel, Confirm, Cancel) through its {@link io.txcenter.chaos.KillWindowHook}: the run
 * arms the window, the process announces that a branch entered it and holds, and the run kills it
 * during the hold. A window not reached within {@link #ARM_WAIT} becomes a kill at a random moment,
 * and is counted as such.
 *
 * <p>Recovery time of a kill: from the victim's restart (ready again) to the moment every
 * transaction it was part of when it died (its branches at the TC, its fence rows left tried, for a
 * relay its undelivered messages, for a subscriber its pending deliveries, for a TC or ZooKeeper
 * node every global session then open) reached a final state.
 */
public final class ChaosCommand {

  static final Duration ARM_WAIT = Duration.ofSeconds(15);

  /** The chaos run's retry ladder: it outlasts any restart (about 5 min in all). */
  public static final String LADDER = "1s,2s,3s,5s,8s,10s,15s,20s,30s,30s,30s,30s,30s,30s,30s,30s";

  /**
   * The seeded kill schedule: the kinds of the topology's victims ({@link Victim#of}, from the
   * descriptors) round-robin in a shuffled order, a process of the kind, its window (rotated per
   * kind from a seeded start, over the windows its descriptor lists), the restart delay and the
   * pause before the next kill. One {@link Random} draws all of it, so a seed replays the same
   * schedule on the same descriptors.
   */
  static final class Schedule {

    /** One planned kill. */
    record Next(Victim victim, String armed, long restartDelayMs, long gapMs) {}

    private final Random random;
    private final Map<String, List<Victim>> kinds;
    private final List<String> order = new ArrayList<>();
    private final Map<String, Integer> windowTurn = new LinkedHashMap<>();

    Schedule(long seed, List<Victim> victims) {
      if (victims.isEmpty()) {
        throw new CliException("no process of this topology can be killed (see Victim)");
      }
      this.random = new Random(seed);
      this.kinds = Victim.byKind(victims);
    }

    /**
     * The next kill. {@code leaderOf} names the relay leading the outbox given, if it can be read;
     * a relay kind kills the leader of its first outbox, or a seeded relay when none is known.
     */
    Next next(Function<String, Optional<String>> leaderOf) {
      if (order.isEmpty()) {
        order.addAll(kinds.keySet());
        Collections.shuffle(order, random);
      }
      String kind = order.remove(0);
      Victim victim = pick(kinds.get(kind), leaderOf);
      List<Window> windows = victim.windows();
      String armed = null;
      if (!windows.isEmpty()) {
        int turn = windowTurn.merge(kind, 1, Integer::sum) - 1;
        // rotate the window per kind, from a seeded starting point
        armed = windows.get((turn + random.nextInt(windows.size())) % windows.size()).id();
      }
      long restartDelay = 1_000 + random.nextInt(5_000);
      long gap = 2_000 + random.nextInt(6_000);
      return new Next(victim, armed, restartDelay, gap);
    }

    private Victim pick(List<Victim> candidates, Function<String, Optional<String>> leaderOf) {
      Victim first = candidates.get(0);
      if (first.probe() == Victim.Probe.OUTBOXES) {
        Victim fallback = candidates.get(random.nextInt(candidates.size()));
        Optional<String> leader = leaderOf.apply(first.outboxes().get(0));
        return candidates.stream()
            .filter(v -> leader.isPresent() && v.process().equals(leader.get()))
            .findFirst()
            .orElse(fallback);
      }
      // one process of its kind: no draw, so a seed's schedule does not shift with instances
      return candidates.size() == 1 ? first : candidates.get(random.nextInt(candidates.size()));
    }
  }

  /** The knobs of a run, validated. */
  public record Plan(
      int minutes,
      long seed,
      double rate,
      int concurrency,
      int quiescenceSeconds,
      double failShare) {

    public static Plan from(Map<String, String> o) {
      int minutes = Options.whole(o, "minutes", 3, 1, 600);
      long seed = Options.whole(o, "seed", 1, 0, Integer.MAX_VALUE);
      int concurrency = Options.whole(o, "concurrency", 4, 1, 64);
      int quiescence = Options.whole(o, "quiescence", 180, 10, 3_600);
      double rate;
      double failShare;
      try {
        rate = Double.parseDouble(o.getOrDefault("rate", "5"));
        failShare = Double.parseDouble(o.getOrDefault("fail-share", "0.15"));
      } catch (NumberFormatException e) {
        throw new CliException("--rate and --fail-share must be numbers: " + e.getMessage());
      }
      if (rate <= 0 || rate > 1_000 || failShare < 0 || failShare > 1) {
        throw new CliException(
            "--rate must be in (0, 1000] and --fail-share in [0, 1], were ["
                + rate
                + "] and ["
                + failShare
                + "]");
      }
      return new Plan(minutes, seed, rate, concurrency, quiescence, failShare);
    }
  }

  /** One kill: what, where, when, and how long the victim's transactions took to settle. */
  static final class Kill {
    final int number;
    final Victim victim;
    final String kind;
    final String process;
    final String armed;
    String window = "random";
    String xid;
    String action;
    long killedAtMs;
    long restartedAtMs;
    long readyAtMs;
    long downMs;
    RecoveryProbe.Pending pending;
    long settledAtMs = -1;

    Kill(int number, Victim victim, String armed) {
      this.number = number;
      this.victim = victim;
      this.kind = victim.kind();
      this.process = victim.process();
      this.armed = armed;
    }

    /** Restart (ready) to settled; 0 when everything settled before the restart; -1 if never. */
    long recoveryMs() {
      if (settledAtMs < 0) {
        return -1;
      }
      return Math.max(0, settledAtMs - readyAtMs);
    }
  }

  private final TopologyConfig config;
  private final Topology topology;
  private final PrintStream out;
  private final RecoveryProbe probe;

  public ChaosCommand(Topology topology, PrintStream out) {
    this.config = topology.config();
    this.topology = topology;
    this.out = out;
    this.probe = new RecoveryProbe(config);
  }

  /**
   * Runs load and kills for the plan's minutes, then quiescence and the audit; exit code 0 iff no
   * violation and nothing stuck. The caller prints the last line after stopping the topology.
   */
  public CommandOutcome run(Plan plan) throws Exception {
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

    List<Kill> kills = new ArrayList<>();
    long killUntil = runStart + TimeUnit.SECONDS.toMillis(seconds) - 20_000;
    Schedule schedule = new Schedule(plan.seed(), Victim.of(topology));
    // first kill after the load has warmed up
    pause(Duration.ofSeconds(8));
    while (System.currentTimeMillis() < killUntil && !loadRun.isDone()) {
      Schedule.Next next = schedule.next(this::relayLeader);
      Kill kill = new Kill(kills.size() + 1, next.victim(), next.armed());
      kills.add(kill);
      killOne(kill, next.restartDelayMs());
      probe.track(kill);
      pause(Duration.ofMillis(next.gapMs()));
    }
    LoadCommand.Summary summary = loadRun.get();
    out.println(summary.line());

    // every process running again before the audit (a kill's restart already waited for ready)
    for (String name : topology.processNames()) {
      if (topology.running(name).isEmpty()) {
        out.printf("chaos: %s found stopped at the end, restarting%n", name);
        topology.restart(name, out);
      }
    }
    out.println();
    out.println("audit:");
    Audit.Result audit = new Audit(config).run(Duration.ofSeconds(plan.quiescenceSeconds()), out);
    probe.settleAll(kills, Duration.ofSeconds(10));

    Report report = new Report(plan, summary, kills, audit, System.currentTimeMillis() - runStart);
    Path json = chaosDir.resolve("report.json");
    Files.writeString(json, report.json(), StandardCharsets.UTF_8);
    report.print(out);
    out.println("  report      " + json);
    return new CommandOutcome(
        audit.violations().isEmpty() && audit.stuckCount() == 0 ? 0 : 1, report.line());
  }

  private void killOne(Kill kill, long restartDelay) throws Exception {
    Path arm = config.chaosDir().resolve("arm").resolve(kill.process);
    Path hit = config.chaosDir().resolve("hit").resolve(kill.process);
    Files.deleteIfExists(hit);
    if (kill.armed != null) {
      Files.writeString(arm, kill.armed, StandardCharsets.UTF_8);
      long deadline = System.currentTimeMillis() + ARM_WAIT.toMillis();
      while (!Files.exists(hit) && System.currentTimeMillis() < deadline) {
        pause(Duration.ofMillis(10)); // the hit file is written by another process
      }
      if (!Files.exists(hit) && !Files.deleteIfExists(arm)) {
        // claimed between the last look and the delete: the hit file follows at once
        pause(Duration.ofMillis(200));
      }
      if (Files.exists(hit)) {
        Map<String, String> fields = fields(hit);
        kill.window = fields.getOrDefault("window", "random");
        kill.xid = fields.get("xid");
        kill.action = fields.get("action");
      }
    }
    Optional<ProcessHandle> handle = topology.running(kill.process);
    kill.pending = probe.snapshot(kill);
    kill.killedAtMs = System.currentTimeMillis();
    if (handle.isPresent()) {
      handle.get().destroyForcibly();
      handle.get().onExit().get(30, TimeUnit.SECONDS);
    }
    out.printf(
        "chaos: kill #%d %-14s %-12s window=%-8s%s pending=%d%n",
        kill.number,
        kill.kind,
        kill.process,
        kill.window,
        kill.xid == null ? "" : " xid=" + kill.xid + " action=" + kill.action,
        kill.pending.size());
    Files.deleteIfExists(hit);
    pause(Duration.ofMillis(restartDelay));
    kill.restartedAtMs = System.currentTimeMillis();
    kill.downMs = kill.restartedAtMs - kill.killedAtMs;
    topology.restart(kill.process, new PrintStream(OutputStreamSink.INSTANCE));
    kill.readyAtMs = System.currentTimeMillis();
    out.printf(
        "chaos: %s back after %.1f s down, %.1f s to ready%n",
        kill.process, kill.downMs / 1e3, (kill.readyAtMs - kill.restartedAtMs) / 1e3);
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

  /** The run's figures: a human summary, the JSON report and the last line. */
  record Report(
      Plan plan, LoadCommand.Summary load, List<Kill> kills, Audit.Result audit, long wallMs) {

    long transactions() {
      return load.sent.get();
    }

    String line() {
      return "chaos: "
          + transactions()
          + " tx, "
          + kills.size()
          + " kills, "
          + audit.violations().size()
          + " violations, "
          + audit.stuckCount()
          + " stuck";
    }

    Map<String, Map<String, Integer>> byKindAndWindow() {
      Map<String, Map<String, Integer>> table = new TreeMap<>();
      for (Kill k : kills) {
        table.computeIfAbsent(k.kind, x -> new TreeMap<>()).merge(k.window, 1, Integer::sum);
      }
      return table;
    }

    Map<String, Integer> byWindow() {
      Map<String, Integer> windows = new TreeMap<>();
      for (Kill k : kills) {
        windows.merge(k.window, 1, Integer::sum);
      }
      return windows;
    }

    List<Long> recoveries() {
      List<Long> r = new ArrayList<>();
      for (Kill k : kills) {
        if (k.recoveryMs() >= 0) {
          r.add(k.recoveryMs());
        }
      }
      Collections.sort(r);
      return r;
    }

    /** p50 and max recovery (ms) per kind. */
    Map<String, List<Long>> recoveryByKind() {
      Map<String, List<Long>> byKind = new TreeMap<>();
      for (Kill k : kills) {
        if (k.recoveryMs() >= 0) {
          byKind.computeIfAbsent(k.kind, x -> new ArrayList<>()).add(k.recoveryMs());
        }
      }
      Map<String, List<Long>> summary = new TreeMap<>();
      byKind.forEach(
          (kind, values) -> {
            Collections.sort(values);
            summary.put(kind, List.of(percentile(values, 50), values.get(values.size() - 1)));
          });
      return summary;
    }

    long unsettled() {
      return kills.stream().filter(k -> k.recoveryMs() < 0).count();
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
      out.println("  kills by kind and window " + byKindAndWindow());
      out.println("  kills by window " + byWindow());
      out.printf(
          "  recovery    p50=%d ms max=%d ms over %d kills (%d never settled)%n",
          percentile(r, 50), r.isEmpty() ? 0 : r.get(r.size() - 1), r.size(), unsettled());
      out.println("  recovery by kind [p50, max] ms " + recoveryByKind());
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
      b.append("  \"killsByWindow\": ").append(counts(byWindow())).append(",\n");
      b.append("  \"killsByKindAndWindow\": ").append(counts(byKindAndWindow())).append(",\n");
      b.append("  \"recovery\": {\"p50Ms\": ")
          .append(percentile(r, 50))
          .append(", \"maxMs\": ")
          .append(r.isEmpty() ? 0 : r.get(r.size() - 1))
          .append(", \"unsettled\": ")
          .append(unsettled())
          .append(", \"byKind\": ")
          .append(counts(recoveryByKind()))
          .append("},\n");
      b.append("  \"kills\": [\n");
      for (int i = 0; i < kills.size(); i++) {
        Kill k = kills.get(i);
        b.append("    {\"n\": ")
            .append(k.number)
            .append(", \"kind\": ")
            .append(q(k.kind))
            .append(", \"process\": ")
            .append(q(k.process))
            .append(", \"armed\": ")
            .append(q(k.armed))
            .append(", \"window\": ")
            .append(q(k.window))
            .append(", \"xid\": ")
            .append(q(k.xid))
            .append(", \"action\": ")
            .append(q(k.action))
            .append(", \"killedAt\": ")
            .append(q(Instant.ofEpochMilli(k.killedAtMs).toString()))
            .append(", \"downMs\": ")
            .append(k.downMs)
            .append(", \"startMs\": ")
            .append(k.readyAtMs - k.restartedAtMs)
            .append(", \"pending\": ")
            .append(k.pending == null ? 0 : k.pending.size())
            .append(", \"recoveryMs\": ")
            .append(k.recoveryMs())
            .append("}")
            .append(i + 1 < kills.size() ? ",\n" : "\n");
      }
      b.append("  ],\n");
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
