package io.txcenter.tools.topology;

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
  private List<ProcessDescriptor> descriptors;

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
  public record ProcessSpec(
      String name, String jar, Map<String, String> settings, Map<String, String> env) {}

  /** The extra port ({@code extra-port.metrics}) where a process serves {@code GET /metrics}. */
  public static final String METRICS_PORT = "metrics";

  /** Start order; {@link #down} stops in reverse. */
  public List<List<ProcessSpec>> stages() {
    List<List<ProcessSpec>> included = new ArrayList<>();
    for (List<ProcessSpec> stage : allStages()) {
      List<ProcessSpec> kept = stage.stream().filter(p -> include.test(p.name())).toList();
      if (!kept.isEmpty()) {
        included.add(kept);
      }
    }
    return included;
  }

  /** The process descriptors of the project's modules ({@link ProcessDescriptor#discover}). */
  public List<ProcessDescriptor> descriptors() {
    if (descriptors == null) {
      descriptors = ProcessDescriptor.discover(config.home());
      if (descriptors.isEmpty()) {
        throw new CliException(
            "no process descriptor under "
                + config.home()
                + ": build the jars with ./mvnw -DskipTests package");
      }
    }
    return descriptors;
  }

  /**
   * Every process of the topology, rendered from the descriptors: by stage, then by descriptor id,
   * instances in their listed order; a serial descriptor's instances each start alone.
   */
  private List<List<ProcessSpec>> allStages() {
    Map<String, List<ProcessSpec>> stages = new LinkedHashMap<>();
    for (ProcessDescriptor d : descriptors()) {
      if (!Boolean.parseBoolean(render(d, null, 0, d.get("enabled", "true")))) {
        continue;
      }
      List<String> instances = instances(d);
      for (int i = 0; i < Math.max(1, instances.size()); i++) {
        String instance = instances.isEmpty() ? null : instances.get(i);
        ProcessSpec spec = render(d, instance, i);
        String stage =
            d.stageIndex()
                + (Boolean.parseBoolean(d.get("serial", "false")) ? "/" + spec.name() : "");
        stages.computeIfAbsent(stage, s -> new ArrayList<>()).add(spec);
      }
    }
    return List.copyOf(stages.values());
  }

  /** The instances a descriptor renders in this topology (empty: one process, no instance). */
  public List<String> instances(ProcessDescriptor d) {
    String listed = render(d, null, 0, d.get("instances", "")).trim();
    return listed.isEmpty() ? List.of() : List.of(listed.split("\\s*,\\s*"));
  }

  private ProcessSpec render(ProcessDescriptor d, String instance, int index) {
    String name = instance == null ? d.id() : d.id() + "-" + instance;
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> env = new LinkedHashMap<>();
    if (d.get("port") != null) {
      settings.put(d.get("port.setting", "txc.dubbo.port"), String.valueOf(port(d, "", index)));
    }
    if (d.get("extra-port." + METRICS_PORT) != null) {
      // every process serves its metrics (docs/operations.md); the port is the descriptor's, so a
      // new module's process is scraped without a tool edit
      settings.put("txc.metrics.port", String.valueOf(port(d, METRICS_PORT, index)));
    }
    if (d.get("schema") != null) {
      settings.put(
          "txc.jdbc.url",
          config.jdbcUrl(config.schema(render(d, instance, index, d.get("schema")))));
      settings.put("txc.jdbc.user", config.dbUser());
      env.put("TXC_JDBC_PASSWORD", config.dbPassword());
    }
    List<String> groups = new ArrayList<>(List.of("setting."));
    if (bench) {
      groups.add("bench.setting.");
    }
    if (config.chaos()) {
      groups.add("chaos.setting.");
    }
    for (String group : groups) {
      d.under(group)
          .forEach(
              (key, template) -> {
                String value = render(d, instance, index, template);
                if (!value.isEmpty()) {
                  settings.put(key, value);
                }
              });
    }
    d.under("env.").forEach((key, template) -> env.put(key, render(d, instance, index, template)));
    return spec(name, d.jar(), d.get("rpc.identity", d.id()), settings, env);
  }

  /**
   * The schema (prefixed) of instance {@code index} of a descriptor, or of its only process ({@code
   * instance} null); empty when the descriptor declares none.
   */
  public java.util.Optional<String> schemaOf(ProcessDescriptor d, String instance, int index) {
    return java.util.Optional.ofNullable(d.get("schema"))
        .map(template -> config.schema(render(d, instance, index, template)));
  }

  private String render(ProcessDescriptor d, String instance, int index, String template) {
    return ProcessDescriptor.render(template, name -> value(d, instance, index, name));
  }

  /** The port {@code index} of a descriptor: its base port ({@code extra} empty) or extra port. */
  private int port(ProcessDescriptor d, String extra, int index) {
    String key = extra.isEmpty() ? d.id() : d.id() + "." + extra;
    Integer base = config.ports().get(key);
    if (base == null) {
      String declared = d.get(extra.isEmpty() ? "port" : "extra-port." + extra);
      if (declared == null) {
        throw new CliException(d.jar() + ": process " + d.id() + " has no port " + key);
      }
      base = Integer.parseInt(declared.trim());
    }
    return base + index;
  }

  /**
   * A named topology value of a descriptor's template: the instance ({@code instance}, {@code
   * instance.id} with {@code _} for {@code -}, {@code instance.<key>}), ports ({@code port.<extra>}
   * of this instance, {@code port:<id>} of another process), {@code jdbc.url:<schema>}, the
   * outboxes the descriptors declare ({@code outboxes}, {@code outbox.jdbc.urls}: {@code
   * <name>=<url>|…}) and the topology's settings.
   */
  public String value(ProcessDescriptor d, String instance, int index, String name) {
    if (name.startsWith("instance.") && !name.equals("instance.id")) {
      String value = instance == null ? null : d.get("instance." + instance + name.substring(8));
      if (value == null) {
        throw new CliException(d.jar() + ": no " + name + " for instance [" + instance + "]");
      }
      return value;
    }
    if (name.startsWith("port.")) {
      return String.valueOf(port(d, name.substring(5), index));
    }
    if (name.startsWith("port:")) {
      String other = name.substring(5);
      return String.valueOf(
          descriptors().stream()
              .filter(o -> o.id().equals(other))
              .findFirst()
              .map(o -> port(o, "", 0))
              .orElseThrow(() -> new CliException(d.id() + " needs process " + other)));
    }
    if (name.startsWith("if:")) {
      // ${if:<value>:<text>}: the text when the named value is true, else nothing
      String[] parts = name.substring(3).split(":", 2);
      return Boolean.parseBoolean(value(d, instance, index, parts[0])) ? parts[1] : "";
    }
    if (name.startsWith("jdbc.url:")) {
      return config.jdbcUrl(config.schema(name.substring(9)));
    }
    return switch (name) {
      case "instance" -> instance == null ? "" : instance;
      case "instance.id" -> instance == null ? "" : instance.replace('-', '_');
      case "port" -> String.valueOf(port(d, "", index));
      case "channels" -> String.join(",", config.channels());
      // the outboxes the descriptors declare (outbox=<name>), for the relays
      case "outboxes" -> String.join(",", outboxes().stream().map(OutboxOwner::name).toList());
      case "outbox.jdbc.urls" ->
          String.join(
              "|",
              outboxes().stream().map(o -> o.name() + "=" + config.jdbcUrl(o.schema())).toList());
      case "zk.address" -> config.zkAddress();
      case "zk.ensemble" -> config.zkMembers() > 1 ? config.zkEnsemble() : "";
      case "zk.instances" -> numbered(config.zkMembers());
      case "tc.instances" -> numbered(config.tcNodes());
      case "tc.store" -> config.ha() ? "db" : config.tcStore();
      case "tc.db-store" -> String.valueOf(config.ha() || "db".equals(config.tcStore()));
      case "db.embedded" -> String.valueOf(config.embeddedDb());
      case "db.user" -> config.dbUser();
      case "db.password" -> config.dbPassword();
      case "console.user" -> config.consoleUser();
      case "console.password" -> config.consolePassword();
      case "retry.ladder" -> config.retryLadder();
      case "retry.ladder.compressed" ->
          config.retryLadder().equals(TopologyConfig.ROCKETMQ_LADDER) ? "" : config.retryLadder();
      case "mall.precheck" -> String.valueOf(config.mallPrecheck());
      case "flaky.attempts" ->
          String.valueOf(
              instance != null && instance.equals(config.flakySubscriber())
                  ? config.flakyAttempts()
                  : 0);
      default ->
          throw new CliException(
              d.jar() + ": process " + d.id() + " uses an unknown value ${" + name + "}");
    };
  }

  /** {@code 1,2,..,n}, or empty (one unnumbered process) when {@code n} is 1. */
  private static String numbered(int n) {
    List<String> numbers = new ArrayList<>();
    for (int i = 1; n > 1 && i <= n; i++) {
      numbers.add(String.valueOf(i));
    }
    return String.join(",", numbers);
  }

  private ProcessSpec spec(
      String name,
      String jar,
      String rpcIdentity,
      Map<String, String> settings,
      Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("txc.name", name);
    all.put("txc.run.dir", config.runDir().toString());
    all.put("txc.advertise.host", "127.0.0.1");
    all.put("txc.bind.host", "127.0.0.1");
    // a path, not a secret: the values stay in the owner-only file (ClusterSecrets)
    all.put("txc.secrets.file", ClusterSecrets.file(config.runDir()).toString());
    all.put("txc.rpc.identity", rpcIdentity);
    if (config.chaos()) {
      // kill windows (the chaos-hook plugin's KillWindowHook); the recovery bounds of a chaos run
      // are the descriptors'
      all.put("txc.chaos.dir", config.chaosDir().toString());
    }
    return new ProcessSpec(name, jar, all, env);
  }

  /** The plugin holding the benchmark-only interfaces, needed beside every bench plugin. */
  public static final String BENCH_API = "tools/bench-plugins/bench-api/target/bench-api.jar";

  /** The bench plugin of each process kind that exports a benchmark-only service. */
  public static final Map<String, String> BENCH_PLUGINS =
      Map.of(
          "mall", "tools/bench-plugins/mall-bench/target/mall-bench.jar",
          "points", "tools/bench-plugins/points-bench/target/points-bench.jar",
          "portal", "tools/bench-plugins/portal-bench/target/portal-bench.jar");

  /**
   * The chaos run's kill windows (KillWindowHook), for every process with TCC branches: those whose
   * descriptor declares a fence ({@code fence=true}), so a new participant gets it too.
   */
  public static final String CHAOS_HOOK = "tools/chaos-hook/target/chaos-hook.jar";

  /**
   * The plugin jars (relative to the project home) to put on {@code spec}'s class path: the bench
   * plugin of its kind under {@link #forBench}, the chaos hook of a TCC process under chaos, none
   * otherwise ({@code up}, {@code demo}: a production class path).
   */
  public List<String> pluginJars(ProcessSpec spec) {
    String kind = spec.settings().getOrDefault("txc.rpc.identity", spec.name());
    List<String> jars = new ArrayList<>();
    if (bench && BENCH_PLUGINS.containsKey(kind)) {
      jars.add(BENCH_API);
      jars.add(BENCH_PLUGINS.get(kind));
    }
    if (config.chaos() && hasTccBranches(spec)) {
      jars.add(CHAOS_HOOK);
    }
    return jars;
  }

  private boolean hasTccBranches(ProcessSpec spec) {
    return descriptors().stream()
        .anyMatch(d -> d.jar().equals(spec.jar()) && "true".equals(d.get("fence", "false")));
  }

  /**
   * The JVM's arguments after its options and settings: {@code -jar X.jar} for a production
   * process; with plugins, {@code -cp X.jar:<plugins> <X.jar's Main-Class>} (X.jar's manifest
   * Class-Path, its lib/, still applies).
   */
  public List<String> launch(ProcessSpec spec) {
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
   * Every schema of the topology, each once: the schema of each process (all of them, whatever
   * {@code include} says) and the extra ones its descriptor names ({@code schemas.extra}, a comma
   * list; the mall's benchmark arm, the TC's db store).
   */
  public List<String> schemas() {
    java.util.Set<String> schemas = new java.util.LinkedHashSet<>();
    eachProcess(
        (d, instance, i) -> {
          schemaOf(d, instance, i).ifPresent(schemas::add);
          for (String extra : render(d, instance, i, d.get("schemas.extra", "")).split(",")) {
            if (!extra.isBlank()) {
              schemas.add(config.schema(extra.trim()));
            }
          }
        });
    return List.copyOf(schemas);
  }

  /**
   * The schemas the audit requires a fence table in: those of the processes whose descriptor says
   * {@code fence=true} (the TCC participants and the initiators' outbox branches).
   */
  public List<String> fenceSchemas() {
    List<String> schemas = new ArrayList<>();
    eachProcess(
        (d, instance, i) -> {
          if (Boolean.parseBoolean(d.get("fence", "false"))) {
            schemaOf(d, instance, i).ifPresent(schemas::add);
          }
        });
    return schemas;
  }

  /** An outbox of the topology: its name and the (prefixed) schema of its owner. */
  public record OutboxOwner(String name, String schema) {}

  /**
   * A consumer group of the topology: the topic and tag expression it subscribes and the (prefixed)
   * schema its dedupe rows ({@code consumed_message}) are in.
   */
  public record Subscription(String topic, String group, String tags, String schema) {}

  /**
   * The outboxes of the topology, from the descriptors of their owners ({@code outbox=<name>}), in
   * the topology's order: the audit checks each one's deliveries.
   */
  public List<OutboxOwner> outboxes() {
    List<OutboxOwner> outboxes = new ArrayList<>();
    eachProcess(
        (d, instance, i) -> {
          String name = d.get("outbox");
          if (name != null) {
            String schema =
                schemaOf(d, instance, i)
                    .orElseThrow(
                        () -> new CliException(d.jar() + ": outbox " + name + " but no schema"));
            outboxes.add(new OutboxOwner(render(d, instance, i, name).trim(), schema));
          }
        });
    return List.copyOf(outboxes);
  }

  /**
   * The consumer groups of the topology, from the descriptors of their processes ({@code
   * consumer.group}, {@code consumer.topic}, {@code consumer.tags}, rendered per instance; the
   * dedupe rows in the process's schema).
   */
  public List<Subscription> subscriptions() {
    List<Subscription> subscriptions = new ArrayList<>();
    eachProcess(
        (d, instance, i) -> {
          String group = d.get("consumer.group");
          if (group != null) {
            String schema =
                schemaOf(d, instance, i)
                    .orElseThrow(
                        () -> new CliException(d.jar() + ": consumer " + group + " but no schema"));
            subscriptions.add(
                new Subscription(
                    render(d, instance, i, d.get("consumer.topic", "")).trim(),
                    render(d, instance, i, group).trim(),
                    render(d, instance, i, d.get("consumer.tags", "*")).trim(),
                    schema));
          }
        });
    return List.copyOf(subscriptions);
  }

  private interface EachProcess {
    void accept(ProcessDescriptor d, String instance, int index);
  }

  /** Every process of every descriptor (all of them, whatever {@code include} says). */
  private void eachProcess(EachProcess action) {
    for (ProcessDescriptor d : descriptors()) {
      List<String> instances = instances(d);
      for (int i = 0; i < Math.max(1, instances.size()); i++) {
        action.accept(d, instances.isEmpty() ? null : instances.get(i), i);
      }
    }
  }

  /**
   * The RPC identities a topology signs with ({@code rpc.key.<identity>} in the secrets file): the
   * CLI's ({@code operator}) and every identity a descriptor declares ({@code rpc.identity}).
   */
  public List<String> rpcIdentities() {
    List<String> identities = new ArrayList<>(List.of("operator"));
    for (ProcessDescriptor d : descriptors()) {
      String identity = d.get("rpc.identity");
      if (identity != null && !identities.contains(identity)) {
        identities.add(identity);
      }
    }
    return identities;
  }

  /** Starts every process not already running and waits until each is ready. */
  public void up(PrintStream out) {
    for (String dir : List.of("pids", "logs", "data")) {
      mkdirs(config.runDir().resolve(dir));
    }
    config.write();
    // new secrets for a topology that starts from nothing; the same ones while any process runs
    if (processNames().stream().noneMatch(n -> running(n).isPresent())) {
      ClusterSecrets.generate(config, rpcIdentities());
    } else {
      ClusterSecrets.ensure(config, rpcIdentities());
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

  /** A process's metrics endpoint: its kind (RPC identity, the scrape job) and its port. */
  public record MetricsTarget(String job, int port) {}

  /**
   * Every process's metrics endpoint ({@code txc.metrics.port}, from its descriptor's {@code
   * extra-port.metrics}), by process name, in start order.
   */
  public Map<String, MetricsTarget> metricsTargets() {
    Map<String, MetricsTarget> targets = new LinkedHashMap<>();
    for (List<ProcessSpec> stage : stages()) {
      for (ProcessSpec spec : stage) {
        String port = spec.settings().get("txc.metrics.port");
        if (port != null) {
          String job = spec.settings().getOrDefault("txc.rpc.identity", spec.name());
          targets.put(spec.name(), new MetricsTarget(job, Integer.parseInt(port)));
        }
      }
    }
    return targets;
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
