package io.txcenter.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Starts and stops the local topology as one JVM per service: pid files under {@code <run
 * dir>/pids}, one log per process under {@code <run dir>/logs}, readiness markers written by each
 * process once it is registered and answering. {@code down} stops only processes it started,
 * matched by pid and by the run directory on their command line.
 */
public final class Topology {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  private final TopologyConfig config;
  private final Predicate<String> include;
  private final boolean bench;

  public Topology(TopologyConfig config) {
    this(config, name -> true);
  }

  /**
   * The part of the topology whose process names {@code include} accepts: {@code up} starts only
   * those, {@code down} and {@code status} see only those.
   */
  public Topology(TopologyConfig config, Predicate<String> include) {
    this(config, include, false);
  }

  private Topology(TopologyConfig config, Predicate<String> include, boolean bench) {
    this.config = config;
    this.include = include;
    this.bench = bench;
  }

  /**
   * The benchmark's topology: only the processes {@code include} accepts, with the benchmark-only
   * services ({@code DirectPointsService}, {@code DirectQuotaService}, {@code OrderBenchService})
   * exported by the bench plugins put on the mall's, the portal's and each points process's class
   * path ({@link #pluginJars}); {@code up} never exports them.
   */
  public static Topology forBench(TopologyConfig config, Predicate<String> include) {
    return new Topology(config, include, true);
  }

  public TopologyConfig config() {
    return config;
  }

  /** One service process: name, runnable jar (relative to the project home), settings. */
  record ProcessSpec(
      String name, String jar, Map<String, String> settings, Map<String, String> env) {}

  /** Start order; {@link #down} stops in reverse. */
  List<List<ProcessSpec>> stages() {
    List<List<ProcessSpec>> included = new ArrayList<>();
    for (List<ProcessSpec> stage : allStages()) {
      List<ProcessSpec> kept = stage.stream().filter(p -> include.test(p.name())).toList();
      if (!kept.isEmpty()) {
        included.add(kept);
      }
    }
    return included;
  }

  private List<List<ProcessSpec>> allStages() {
    List<List<ProcessSpec>> stages = new ArrayList<>();
    if (config.embeddedDb()) {
      stages.add(
          List.of(
              spec(
                  "db",
                  "embedded-db/target/embedded-db.jar",
                  Map.of("txc.db.port", String.valueOf(config.dbPort())),
                  Map.of())));
    }
    List<ProcessSpec> zookeepers = new ArrayList<>();
    for (int i = 0; i < config.zkMembers(); i++) {
      Map<String, String> zk = new LinkedHashMap<>();
      zk.put("txc.zk.port", String.valueOf(config.zkPort() + i));
      if (config.ha()) {
        zk.put("txc.zk.id", String.valueOf(i + 1));
        zk.put("txc.zk.ensemble", config.zkEnsemble());
      }
      zookeepers.add(
          spec(config.ha() ? "zk-" + (i + 1) : "zk", "zk/target/txc-zk.jar", zk, Map.of()));
    }
    stages.add(zookeepers);
    // one TC node at a time: Seata's zk registry creates the persistent parent path without
    // tolerating a concurrent creator, and the second node fails with NodeExists
    for (int i = 0; i < config.tcNodes(); i++) {
      List<ProcessSpec> coordinators = new ArrayList<>();
      coordinators.add(
          spec(
              config.ha() ? "tc-" + (i + 1) : "tc",
              "coordinator/tc-server/target/tc-server.jar",
              Map.of(
                  "txc.tc.port", String.valueOf(config.tcPort() + i),
                  "txc.console.port", String.valueOf(config.consolePort() + i),
                  "txc.console.user", config.consoleUser(),
                  "txc.zk.address", config.zkAddress(),
                  "txc.tc.store", config.ha() ? "db" : config.tcStore(),
                  "txc.tc.jdbc.url", config.jdbcUrl(config.schema("seata")),
                  "txc.tc.jdbc.user", config.dbUser(),
                  // finished sessions leave global_table after 20 s rather than 130 s, so the
                  // audit's bounded quiescence can require an empty TC (see TcServerMain)
                  "txc.tc.retry-dead-threshold.ms", "20000"),
              Map.of(
                  "TXC_CONSOLE_PASSWORD", config.consolePassword(),
                  "TXC_TC_JDBC_PASSWORD", config.dbPassword())));
      stages.add(coordinators);
    }
    List<ProcessSpec> participants = new ArrayList<>();
    for (String channel : config.channels()) {
      participants.add(
          service(
              "points-" + channel,
              "participant-points/points-service/target/points-service.jar",
              config.schemaOfChannel(channel),
              config.pointsPort(channel),
              Map.of("txc.points.channel", channel)));
    }
    participants.add(
        service(
            "portal",
            "participant-portal/portal-service/target/portal-service.jar",
            config.schema("portal"),
            config.portalPort(),
            Map.of()));
    participants.add(
        service(
            "account",
            "participant-account/account-service/target/account-service.jar",
            config.schema("account"),
            config.accountPort(),
            Map.of()));
    for (Map.Entry<String, String> subscriber : TopologyConfig.SUBSCRIBERS.entrySet()) {
      String group = subscriber.getKey();
      participants.add(
          service(
              "sub-" + group,
              "accompaniment/subscriber-service/target/subscriber-service.jar",
              config.schemaOfSubscriber(group),
              config.subscriberPort(group),
              Map.of(
                  "txc.subscriber.group", group,
                  "txc.subscriber.tags", subscriber.getValue(),
                  "txc.subscriber.fail-first",
                      String.valueOf(
                          group.equals(config.flakySubscriber()) ? config.flakyAttempts() : 0))));
    }
    participants.add(
        service(
            "sub-accounting",
            "accompaniment/subscriber-service/target/subscriber-service.jar",
            config.schemaOfSubscriber("accounting"),
            config.accountingPort(),
            Map.of(
                "txc.subscriber.group", "accounting",
                "txc.subscriber.topic", "accounting",
                "txc.subscriber.tags", "*",
                "txc.subscriber.handler", "accounting")));
    participants.add(
        spec(
            "merchant",
            "mall-order/merchant-stub/target/merchant-stub.jar",
            Map.of("txc.merchant.port", String.valueOf(config.merchantPort())),
            Map.of()));
    Map<String, String> notifier = new LinkedHashMap<>();
    notifier.put(
        "txc.notify.merchant-url", "http://127.0.0.1:" + config.merchantPort() + "/notify/");
    if (!config.retryLadder().equals(TopologyConfig.ROCKETMQ_LADDER)) {
      // a compressed topology (demo, tests) compresses the notification ladder too
      notifier.put("txc.notify.ladder", config.retryLadder());
    }
    participants.add(
        service(
            "notifier",
            "mall-order/notify-service/target/notify-service.jar",
            config.schema("notify"),
            config.notifierPort(),
            notifier));
    stages.add(participants);
    stages.add(
        List.of(
            service(
                "mall",
                "mall-order/mall-service/target/mall-service.jar",
                config.schema("mall"),
                config.mallPort(),
                bench
                    ? Map.of(
                        "txc.mall.precheck", String.valueOf(config.mallPrecheck()),
                        // the benchmark's monolith arm (mall-bench's OrderBenchService)
                        "txc.mall.monolith.jdbc.url", config.jdbcUrl(config.schema("monolith")))
                    : Map.of("txc.mall.precheck", String.valueOf(config.mallPrecheck()))),
            service(
                "payment",
                "mall-order/payment-service/target/payment-service.jar",
                config.schema("payment"),
                config.paymentPort(),
                Map.of())));
    List<ProcessSpec> relays = new ArrayList<>();
    for (String relay : TopologyConfig.RELAYS) {
      relays.add(
          service(
              relay,
              "coordinator/txc-relay/target/txc-relay.jar",
              config.schema("mall"),
              0,
              Map.of(
                  "txc.relay.outboxes", "mall,payment",
                  "txc.relay.mall.jdbc.url", config.jdbcUrl(config.schema("mall")),
                  "txc.relay.payment.jdbc.url", config.jdbcUrl(config.schema("payment")),
                  "txc.relay.retry-ladder", config.retryLadder())));
    }
    stages.add(relays);
    return stages;
  }

  private ProcessSpec service(
      String name, String jar, String schema, int port, Map<String, String> extra) {
    Map<String, String> settings = new LinkedHashMap<>(extra);
    settings.put("txc.jdbc.url", config.jdbcUrl(schema));
    settings.put("txc.jdbc.user", config.dbUser());
    if (port > 0) {
      settings.put("txc.dubbo.port", String.valueOf(port));
    }
    settings.put("txc.zk.address", config.zkAddress());
    return spec(name, jar, settings, Map.of("TXC_JDBC_PASSWORD", config.dbPassword()));
  }

  private ProcessSpec spec(
      String name, String jar, Map<String, String> settings, Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("txc.name", name);
    all.put("txc.run.dir", config.runDir().toString());
    all.put("txc.advertise.host", "127.0.0.1");
    all.put("txc.bind.host", "127.0.0.1");
    // a path, not a secret: the values stay in the owner-only file (ClusterSecrets)
    all.put("txc.secrets.file", ClusterSecrets.file(config.runDir()).toString());
    all.put("txc.rpc.identity", rpcIdentity(name));
    if (config.chaos()) {
      // kill windows (the chaos-hook plugin's KillWindowHook) and recovery bounds short enough for
      // a run of minutes: a
      // transaction whose initiator died times out in 10 s, an orphaned payment claim in 10 s
      all.put("txc.chaos.dir", config.chaosDir().toString());
      all.put("txc.mall.tx-timeout.ms", "10000");
      all.put("txc.payment.tx-timeout.ms", "10000");
      all.put("txc.payment.claim-lease.s", "10");
    }
    return new ProcessSpec(name, jar, all, env);
  }

  /** The plugin holding the benchmark-only interfaces, needed beside every bench plugin. */
  static final String BENCH_API = "tools/bench-plugins/bench-api/target/bench-api.jar";

  /** The bench plugin of each process kind that exports a benchmark-only service. */
  static final Map<String, String> BENCH_PLUGINS =
      Map.of(
          "mall", "tools/bench-plugins/mall-bench/target/mall-bench.jar",
          "points", "tools/bench-plugins/points-bench/target/points-bench.jar",
          "portal", "tools/bench-plugins/portal-bench/target/portal-bench.jar");

  /** The chaos run's kill windows (KillWindowHook), for every process kind with TCC branches. */
  static final String CHAOS_HOOK = "tools/chaos-hook/target/chaos-hook.jar";

  static final Set<String> TCC_KINDS = Set.of("points", "portal", "account", "mall", "payment");

  /**
   * The plugin jars (relative to the project home) to put on {@code spec}'s class path: the bench
   * plugin of its kind under {@link #forBench}, the chaos hook of a TCC process under chaos, none
   * otherwise ({@code up}, {@code demo}: a production class path).
   */
  List<String> pluginJars(ProcessSpec spec) {
    String kind = rpcIdentity(spec.name());
    List<String> jars = new ArrayList<>();
    if (bench && BENCH_PLUGINS.containsKey(kind)) {
      jars.add(BENCH_API);
      jars.add(BENCH_PLUGINS.get(kind));
    }
    if (config.chaos() && TCC_KINDS.contains(kind)) {
      jars.add(CHAOS_HOOK);
    }
    return jars;
  }

  /**
   * The JVM's arguments after its options and settings: {@code -jar X.jar} for a production
   * process; with plugins, {@code -cp X.jar:<plugins> <X.jar's Main-Class>} (X.jar's manifest
   * Class-Path, its lib/, still applies).
   */
  List<String> launch(ProcessSpec spec) {
    Path jar = existing(spec.jar());
    List<String> plugins = pluginJars(spec);
    if (plugins.isEmpty()) {
      return List.of("-jar", jar.toString());
    }
    StringBuilder classPath = new StringBuilder(jar.toString());
    for (String plugin : plugins) {
      classPath.append(java.io.File.pathSeparatorChar).append(existing(plugin));
    }
    return List.of("-cp", classPath.toString(), mainClass(jar));
  }

  private Path existing(String relative) {
    Path path = config.home().resolve(relative);
    if (!Files.exists(path)) {
      throw new CliException("missing " + path + ": build with ./mvnw -DskipTests package");
    }
    return path;
  }

  private static String mainClass(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      String main =
          file.getManifest() == null
              ? null
              : file.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      if (main == null || main.isBlank()) {
        throw new CliException(jar + " names no Main-Class");
      }
      return main;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }

  /**
   * The identity a process signs its Dubbo calls with ({@code rpc.key.<identity>} in the secrets
   * file): its kind, not its instance (both relays are {@code relay}).
   */
  static String rpcIdentity(String processName) {
    if (processName.startsWith("points-")) {
      return "points";
    }
    if (processName.startsWith("sub-")) {
      return "subscriber";
    }
    if (processName.startsWith("relay-")) {
      return "relay";
    }
    if (processName.startsWith("tc-") || processName.startsWith("zk-")) {
      return processName.substring(0, 2);
    }
    return processName;
  }

  /** Starts every process not already running and waits until each is ready. */
  public void up(PrintStream out) {
    for (String dir : List.of("pids", "logs", "data")) {
      mkdirs(config.runDir().resolve(dir));
    }
    config.write();
    // new secrets for a topology that starts from nothing; the same ones while any process runs
    if (processNames().stream().noneMatch(n -> running(n).isPresent())) {
      ClusterSecrets.generate(config);
    } else {
      ClusterSecrets.ensure(config);
    }
    for (List<ProcessSpec> stage : stages()) {
      Map<String, Process> started = new LinkedHashMap<>();
      for (ProcessSpec spec : stage) {
        if (running(spec.name()).isPresent()) {
          out.printf("  %-12s already running%n", spec.name());
          continue;
        }
        started.put(spec.name(), start(spec));
      }
      started.forEach((name, process) -> awaitReady(name, process, out));
    }
  }

  /** Names of every process of the topology, in start order. */
  public List<String> processNames() {
    return stages().stream().flatMap(List::stream).map(ProcessSpec::name).toList();
  }

  /**
   * Starts one process of the topology that is not running (after a kill) and waits until it is
   * ready; returns its handle.
   */
  public ProcessHandle restart(String name, PrintStream out) {
    ProcessSpec spec =
        stages().stream()
            .flatMap(List::stream)
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new CliException("no process [" + name + "] in this topology"));
    Optional<ProcessHandle> alive = running(name);
    if (alive.isPresent()) {
      return alive.get();
    }
    Process process = start(spec);
    awaitReady(name, process, out);
    return process.toHandle();
  }

  private Process start(ProcessSpec spec) {
    List<String> launch = launch(spec);
    List<String> command = new ArrayList<>();
    // own session: a Ctrl-C on the terminal that ran `up` must not take the services down
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions(spec.name()));
    spec.settings().forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(launch);
    Path log = logFile(spec.name());
    try {
      Files.deleteIfExists(readyMarker(spec.name()));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(config.runDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log.toFile()))
              .redirectInput(Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(spec.env());
      Process process = builder.start();
      Files.writeString(pidFile(spec.name()), process.pid() + "\n", StandardCharsets.UTF_8);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name(), e);
    }
  }

  private List<String> jvmOptions(String name) {
    String custom = System.getenv("TXC_JAVA_OPTS");
    List<String> options = new ArrayList<>();
    if (custom != null && !custom.isBlank()) {
      options.addAll(List.of(custom.trim().split("\\s+")));
    } else {
      options.addAll(
          List.of(
              "-Xms32m",
              "tc".equals(name) || name.startsWith("tc-") ? "-Xmx320m" : "-Xmx192m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Xss512k",
              "-XX:+ExitOnOutOfMemoryError"));
    }
    return options;
  }

  private void awaitReady(String name, Process process, PrintStream out) {
    long started = System.nanoTime();
    long deadline = started + READY_TIMEOUT.toNanos();
    Path marker = readyMarker(name);
    while (System.nanoTime() < deadline) {
      if (isReady(marker, process.pid())) {
        out.printf(
            "  %-12s ready in %5.1f s (pid %d)%n",
            name, (System.nanoTime() - started) / 1e9, process.pid());
        return;
      }
      if (!process.isAlive()) {
        throw new CliException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + tail(name));
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for " + name);
      }
    }
    throw new CliException(name + " not ready after " + READY_TIMEOUT + ":\n" + tail(name));
  }

  private static boolean isReady(Path marker, long pid) {
    try {
      return Files.exists(marker) && Files.readString(marker).trim().equals(String.valueOf(pid));
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the processes this run directory started, last-started first. */
  public void down(PrintStream out) {
    List<List<ProcessSpec>> stages = stages();
    for (int s = stages.size() - 1; s >= 0; s--) {
      List<ProcessHandle> stopping = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (ProcessSpec spec : stages.get(s)) {
        Optional<ProcessHandle> handle = running(spec.name());
        handle.ifPresent(
            h -> {
              h.destroy();
              stopping.add(h);
              names.add(spec.name());
            });
      }
      for (int i = 0; i < stopping.size(); i++) {
        ProcessHandle handle = stopping.get(i);
        try {
          handle.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          handle.destroyForcibly();
        }
        out.printf("  %-12s stopped (pid %d)%n", names.get(i), handle.pid());
      }
      for (ProcessSpec spec : stages.get(s)) {
        deleteQuietly(pidFile(spec.name()));
        deleteQuietly(readyMarker(spec.name()));
      }
    }
  }

  /** Name, pid and state of every process of the topology. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    for (List<ProcessSpec> stage : stages()) {
      for (ProcessSpec spec : stage) {
        Optional<ProcessHandle> handle = running(spec.name());
        String state =
            handle
                .map(h -> isReady(readyMarker(spec.name()), h.pid()) ? "ready" : "starting")
                .orElse("stopped");
        lines.add(
            String.format(
                "  %-12s %-8s %s",
                spec.name(), state, handle.map(h -> "pid " + h.pid()).orElse("")));
      }
    }
    return lines;
  }

  /** True when every process of the topology is alive and ready. */
  public boolean allReady() {
    return stages().stream()
        .flatMap(List::stream)
        .allMatch(
            spec ->
                running(spec.name())
                    .map(h -> isReady(readyMarker(spec.name()), h.pid()))
                    .orElse(false));
  }

  /** The live process recorded in this run directory's pid file, if it is still ours. */
  public Optional<ProcessHandle> running(String name) {
    Path pidFile = pidFile(name);
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      String marker = "-Dtxc.run.dir=" + config.runDir();
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The last lines of a process's log, for error messages. */
  public String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(logFile(name), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log at " + logFile(name) + ")";
    }
  }

  public Path logFile(String name) {
    return config.runDir().resolve("logs").resolve(name + ".log");
  }

  private Path pidFile(String name) {
    return config.runDir().resolve("pids").resolve(name + ".pid");
  }

  private Path readyMarker(String name) {
    return config.runDir().resolve(name + ".ready");
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale marker is harmless: readiness also checks the pid
    }
  }
}
