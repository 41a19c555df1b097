package io.txcenter.tools.cli;

import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.secrets.Secrets;
import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.bench.BenchCommand;
import io.txcenter.tools.bench.OutboxBench;
import io.txcenter.tools.chaos.ChaosCommand;
import io.txcenter.tools.load.LoadCommand;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.CommandOutcome;
import io.txcenter.tools.topology.Monitor;
import io.txcenter.tools.topology.Registrations;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/txc}: {@code up | down | status | demo | audit | order}. Run with {@code --help} for
 * the options. Exit code 0 on success, 1 when the audit finds violations or a command fails.
 */
public final class Txc {

  private static final String USAGE =
      """
      usage: bin/txc <command> [options]
        up       start the topology, one JVM per service: ZooKeeper, the TC, points (ch-a, ch-b),
                 portal, account, five accompaniment subscribers, the accounting consumer, the
                 merchant stub and notifier, mall, payment, fund, two relays
        down     stop the processes `up` started (by pid), Prometheus and Alertmanager included
        status   show each process and every address registered in ZooKeeper
        monitor  a real Prometheus on 127.0.0.1:9090 (--prometheus-port P) scraping every process of
                 the running topology, with the alert rules of ops/prometheus (also: up --monitor);
                 --alert-webhook URL: and an Alertmanager on 127.0.0.1:9093 (--alertmanager-port P)
                 posting every firing and resolved alert to URL
        tx list [--older-than 30s] [--state S]   the global transactions the TC holds, with branches
        tx show <xid>   one XID's timeline: TC session, fence rows, business rows, outbox deliveries
        tx park|retry <xid> --reason R [--yes]   take the XID's tried branches out of phase two
                 (park) or give them back (retry); a dry run without --yes; recorded in
                 run/audit/tx-repairs.log
        tx resolve <xid> --commit|--rollback --reason R [--yes]   take out of a session the TC keeps
                 retrying the branches whose fence row proves that phase two applied in the
                 direction the TC decided; the TC ends the session when none is left; recorded
        top      one screen from every process's metrics, redrawn every second (--interval S):
                 orders/payments/purchases per second, phases, p50/p99, outbox backlog and dead
                 letters, leading relay, TC sessions in doubt, processes up/down; --once: print once
        demo     up (fresh, unless already up), seed, place the demo orders, audit, down
        audit    check the invariants; last line: audit: <N> checks, <V> violations
        order    place one order: order <orderNo> <userId> <channel>=<points>[,<channel>=<points>...]
      options:
        --run-dir <dir>           run directory (default: <project>/run)
        --db <jdbc-url>           a MySQL/MariaDB server (e.g. jdbc:mysql://127.0.0.1:3306/) instead of
                                  the embedded MariaDB; --db-user (root), password from TXC_DB_PASSWORD
                                  or --db-password-file <owner-only file>
        --schema-prefix <prefix>  prefix of the schemas created on the server (default txc_)
        --wait <seconds>          audit: how long to wait for quiescence (default 60)
        --no-precheck             up: the mall skips the quota/points reads before the transaction
        --tc-store file|db        up: the TC's session store (default file; db uses <prefix>seata)
        --ha                      up: a three-member ZooKeeper ensemble and two TC nodes in db mode
        --monitor                 up: then start Prometheus, as `monitor` does
        --retry-ladder <steps>    up: the relay's retry ladder, e.g. 10s,30s,1m (default RocketMQ's 16 steps)
        --flaky-subscriber <grp>  up: this subscriber fails the first --flaky-attempts of every message
      dlq list [--outbox mall|payment|fund]    dead letters not yet re-driven
      dlq redrive <id>|--all [--outbox ...]    put dead deliveries back on the retry ladder
      pay create <paymentNo> <merchantId> <userId> <channel> <amountCents> <awardPoints>
      pay complete <paymentNo> <bankTxnNo> success|failed <amountCents> [reason]
      pay query <paymentNo>
      fund buy <purchaseNo> <investorId> <targetFund> <amountCents>
                                 a discount purchase: cash buys the wallet fund now, the wallet
                                 units buy the target fund once the purchase committed
      fund show <purchaseNo>     a purchase: status, secondary, units bought, fee, xid
      fund close|open <fund> [--reason R]   pause or resume a fund's subscriptions
      fund investor <investorId> an investor's cash, frozen cash and units
      fund open-investor <investorId> <cashCents> [--reason R]   open an investor with cash
      fund funds                 every fund: kind, NAV, on sale, open
      chaos [--minutes M] [--seed S] [--rate R/s] [--concurrency C] [--quiescence T]
            [--overlap-share F]
           up --ha with kill windows, load with retrying clients, seeded faults of every process
           kind (kill -9 and restart, SIGSTOP/SIGCONT pauses, kill -9 of the database), a share
           of them overlapping, quiescence, audit and the clients' answers; the line before the
           last: chaos faults: <kind>=<n> ...; last line: chaos: <T> tx, <K> kills, <V>
           violations, <S> stuck (K counts every fault)
      bench [--quick] [--levels 1,4,16,64] [--repeats R] [--seconds S] [--warmup W] [--out DIR]
            [--arms tcc,plain,monolith,at] [--branches 1,2,4,8] [--fence-rows N]
           tcc vs plain vs monolith vs Seata AT mall orders on a fresh topology, then a sweep of
           1..8 TCC branches; results in docs/bench (--quick: run/bench); last line:
           bench: tcc/plain=<ratio> tcc/monolith=<ratio> tcc/at=<ratio> (n/a: arm left out)
      bench --outbox [--quick] [--rates 10,20,40] [--seconds S] [--burst N] [--out DIR]
           instead of the arms: orders at fixed rates with the relays and the five accompaniment
           subscribers up; commit-to-applied p50/p99 per consumer group, the relay's deliveries/s
           after a burst; last line: outbox: p99 at 20/s = <ms> ms (p50 <ms> ms), <n> deliveries/s ...
      load [--orders N] [--payments M] [--purchases P] [--concurrency C] [--rate R/s] [--fail-share F]
           [--seed S] [--max-seconds T] [--retries K]   a bounded load of orders, payments and
           fund purchases, each retried with its key while its outcome is open, with a summary
      notify list                merchant notifications: state, attempts, last outcome
      notify retry <id>          a new round of attempts for an unacknowledged notification
      """;

  private final PrintStream out;

  private Txc(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = new Txc(System.out).run(args);
    } catch (CliException
        | MallException
        | io.txcenter.payment.api.PaymentException
        | io.txcenter.fund.api.FundException e) {
      System.err.println("txc: " + e.getMessage());
      code = 1;
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.out.flush();
    System.exit(code);
  }

  int run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    Map<String, String> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--no-precheck")
          || arg.equals("--all")
          || arg.equals("--ha")
          || arg.equals("--quick")
          || arg.equals("--outbox")
          || arg.equals("--monitor")
          || arg.equals("--yes")
          || arg.equals("--commit")
          || arg.equals("--rollback")
          || arg.equals("--once")) {
        options.put(arg.substring(2), "true");
      } else if (arg.startsWith("--")) {
        if (i + 1 >= args.length) {
          throw usage("option " + arg + " needs a value");
        }
        options.put(arg.substring(2), args[++i]);
      } else {
        positional.add(arg);
      }
    }
    Path home = Path.of(System.getProperty("txc.home", ".")).toAbsolutePath().normalize();
    Path runDir =
        Path.of(options.getOrDefault("run-dir", home.resolve("run").toString()))
            .toAbsolutePath()
            .normalize();
    return switch (command) {
      case "up" -> {
        int code = up(configFor(home, runDir, options));
        yield code == 0 && options.containsKey("monitor") ? monitor(runDir, options) : code;
      }
      case "monitor" -> monitor(runDir, options);
      case "tx" -> new TxCommand(TopologyConfig.read(runDir), out).run(positional, options);
      case "top" -> new TopCommand(new Topology(TopologyConfig.read(runDir)), out).run(options);
      case "down" -> down(runDir);
      case "status" -> status(runDir);
      case "demo" -> demo(home, runDir, options);
      case "audit" -> audit(TopologyConfig.read(runDir), seconds(options));
      case "order" -> order(TopologyConfig.read(runDir), positional);
      case "dlq" -> new DlqCommand(TopologyConfig.read(runDir), out).run(positional, options);
      case "notify" -> new NotifyCommand(TopologyConfig.read(runDir), out).run(positional);
      case "pay" -> new PayCommand(TopologyConfig.read(runDir), out).run(positional);
      case "fund" -> new FundCommand(TopologyConfig.read(runDir), out).run(positional, options);
      case "load" -> new LoadCommand(TopologyConfig.read(runDir), out).run(options);
      case "chaos" -> chaos(home, runDir, options);
      case "bench" -> bench(home, runDir, options);
      default -> throw usage("unknown command [" + command + "]");
    };
  }

  private TopologyConfig configFor(Path home, Path runDir, Map<String, String> options) {
    TopologyConfig d = TopologyConfig.defaults(home, runDir);
    String db = options.get("db");
    if (db != null && !db.matches("jdbc:mysql://[^/]+/?")) {
      throw usage("--db must be a server URL like jdbc:mysql://127.0.0.1:3306/, was [" + db + "]");
    }
    String password = System.getenv("TXC_CONSOLE_PASSWORD");
    if (password == null || password.isBlank()) {
      password = Secrets.randomToken(15);
    }
    String prefix = options.getOrDefault("schema-prefix", d.schemaPrefix());
    if (!prefix.matches("[a-z0-9_]{1,20}")) {
      throw usage("--schema-prefix must match [a-z0-9_]{1,20}, was [" + prefix + "]");
    }
    String tcStore = options.getOrDefault("tc-store", d.tcStore());
    if (!tcStore.equals("file") && !tcStore.equals("db")) {
      throw usage("--tc-store must be file or db, was [" + tcStore + "]");
    }
    return new TopologyConfig(
        home,
        runDir,
        db == null,
        db == null ? d.dbServerUrl() : (db.endsWith("/") ? db : db + "/"),
        options.getOrDefault("db-user", d.dbUser()),
        dbPassword(options, d.dbPassword()),
        prefix,
        d.ports(),
        d.channels(),
        !options.containsKey("no-precheck"),
        tcStore,
        d.consoleUser(),
        password,
        ladder(options.getOrDefault("retry-ladder", d.retryLadder())),
        options.getOrDefault("flaky-subscriber", ""),
        attempts(options.getOrDefault("flaky-attempts", "0")),
        options.containsKey("ha"),
        false);
  }

  /**
   * The database password: from {@code --db-password-file} (an owner-only file, first line), else
   * {@code TXC_DB_PASSWORD}, else the default. Never from an option value: a command line is
   * visible to every local user in the process list.
   */
  private static String dbPassword(Map<String, String> options, String defaultValue) {
    if (options.containsKey("db-password")) {
      throw usage(
          "--db-password would put the password on the command line: set TXC_DB_PASSWORD or use"
              + " --db-password-file <owner-only file>");
    }
    String file = options.get("db-password-file");
    if (file != null) {
      try {
        Path path = Path.of(file);
        if (Files.getPosixFilePermissions(path).stream()
            .anyMatch(p -> !p.name().startsWith("OWNER_"))) {
          throw usage("--db-password-file " + file + " is readable by others: chmod 600 it");
        }
        List<String> lines = Files.readAllLines(path);
        return lines.isEmpty() ? "" : lines.get(0);
      } catch (java.io.IOException e) {
        throw usage("--db-password-file " + file + " cannot be read: " + e.getMessage());
      }
    }
    return System.getenv().getOrDefault("TXC_DB_PASSWORD", defaultValue);
  }

  private static int attempts(String text) {
    if (!text.matches("\\d{1,2}")) {
      throw usage("--flaky-attempts must be a number 0..99, was [" + text + "]");
    }
    return Integer.parseInt(text);
  }

  private static String ladder(String text) {
    try {
      io.txcenter.outbox.RetryLadder.parse(text);
      return text;
    } catch (IllegalArgumentException e) {
      throw usage("--retry-ladder: " + e.getMessage());
    }
  }

  private int up(TopologyConfig config) throws Exception {
    return up(new Topology(config));
  }

  private int up(Topology topology) throws Exception {
    TopologyConfig config = topology.config();
    if (Files.exists(config.runDir().resolve(TopologyConfig.FILE))) {
      Topology previous = new Topology(TopologyConfig.read(config.runDir()));
      if (previous.allReady()) {
        out.println("already up:");
        previous.status().forEach(out::println);
        return 0;
      }
      previous.down(out);
    }
    long start = System.nanoTime();
    out.println("starting txcenter in " + config.runDir());
    try {
      topology.up(out);
    } catch (RuntimeException e) {
      out.println("start failed, stopping what was started");
      topology.down(out);
      throw e;
    }
    out.printf("up in %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.println("  zookeeper   " + config.zkAddress());
    out.println(
        config.ha()
            ? "  tc          127.0.0.1:"
                + config.tcPort()
                + " and :"
                + (config.tcPort() + 1)
                + " (store db, schema "
                + config.schema("seata")
                + ")"
            : "  tc          127.0.0.1:" + config.tcPort() + " (store " + config.tcStore() + ")");
    out.println(
        "  console     "
            + config.consoleUrl()
            + "  user "
            + config.consoleUser()
            + "  password: console.password in "
            + ClusterSecrets.file(config.runDir())
            + " (owner-only)");
    out.println(
        "  database    " + config.dbServerUrl() + (config.embeddedDb() ? " (embedded)" : ""));
    out.println("  logs        " + config.runDir().resolve("logs"));
    return 0;
  }

  private int down(Path runDir) {
    if (!Files.exists(runDir.resolve(TopologyConfig.FILE))) {
      out.println("nothing to stop in " + runDir);
      return 0;
    }
    Topology topology = new Topology(TopologyConfig.read(runDir));
    new Monitor(topology, Monitor.DEFAULT_PORT, MONITOR_SCRAPE).stop(out);
    topology.down(out);
    return 0;
  }

  /** How often {@code monitor}'s Prometheus scrapes and evaluates the rules. */
  static final java.time.Duration MONITOR_SCRAPE = java.time.Duration.ofSeconds(2);

  private int monitor(Path runDir, Map<String, String> options) {
    if (!Files.exists(runDir.resolve(TopologyConfig.FILE))) {
      throw new CliException("nothing is up in " + runDir + ": run bin/txc up first");
    }
    int port;
    try {
      port =
          Integer.parseInt(
              options.getOrDefault("prometheus-port", String.valueOf(Monitor.DEFAULT_PORT)));
    } catch (NumberFormatException e) {
      throw new CliException(
          "--prometheus-port must be a port number, was [" + options.get("prometheus-port") + "]");
    }
    int alertmanagerPort;
    try {
      alertmanagerPort =
          Integer.parseInt(
              options.getOrDefault(
                  "alertmanager-port", String.valueOf(Monitor.DEFAULT_ALERTMANAGER_PORT)));
    } catch (NumberFormatException e) {
      throw new CliException(
          "--alertmanager-port must be a port number, was ["
              + options.get("alertmanager-port")
              + "]");
    }
    java.net.URI webhook = null;
    if (options.containsKey("alert-webhook")) {
      try {
        webhook = new java.net.URI(options.get("alert-webhook"));
      } catch (java.net.URISyntaxException e) {
        throw new CliException(
            "--alert-webhook must be an http(s) URL, was [" + options.get("alert-webhook") + "]");
      }
    }
    Monitor monitor =
        new Monitor(
            new Topology(TopologyConfig.read(runDir)),
            port,
            MONITOR_SCRAPE,
            alertmanagerPort,
            webhook);
    monitor.start(out);
    out.println("  prometheus  " + monitor.url() + "  config " + monitor.configFile());
    return 0;
  }

  private int status(Path runDir) throws Exception {
    TopologyConfig config = TopologyConfig.read(runDir);
    Topology topology = new Topology(config);
    topology.status().forEach(out::println);
    Monitor monitor = new Monitor(topology, Monitor.DEFAULT_PORT, MONITOR_SCRAPE);
    monitor
        .running()
        .ifPresent(h -> out.printf("  %-12s %-8s pid %d%n", Monitor.NAME, "running", h.pid()));
    monitor
        .alertmanagerRunning()
        .ifPresent(
            h -> out.printf("  %-12s %-8s pid %d%n", Monitor.ALERTMANAGER, "running", h.pid()));
    if (topology.running(config.ha() ? "zk-1" : "zk").isPresent()) {
      out.println("registered in ZooKeeper:");
      for (Registrations.Registration r :
          Registrations.read(
              config.zkAddress(), ClusterSecrets.zooKeeperCredential(config.runDir()))) {
        out.println("  " + r.host() + "  " + r.path().replaceAll("%[0-9A-F]{2}.*", "…"));
      }
    }
    return 0;
  }

  private int demo(Path home, Path runDir, Map<String, String> options) throws Exception {
    long start = System.nanoTime();
    boolean startedHere =
        !Files.exists(runDir.resolve(TopologyConfig.FILE))
            || !new Topology(TopologyConfig.read(runDir)).allReady();
    if (startedHere) {
      deleteTree(runDir.resolve("data"));
      Map<String, String> demoOptions = new LinkedHashMap<>(options);
      // a scenario must finish: a compressed ladder (16 retries, 2.4 s in all) and a customer
      // service subscriber that fails the first two attempts of every event
      demoOptions.putIfAbsent(
          "retry-ladder", String.join(",", java.util.Collections.nCopies(16, "150ms")));
      demoOptions.putIfAbsent("flaky-subscriber", "cs");
      demoOptions.putIfAbsent("flaky-attempts", "2");
      up(configFor(home, runDir, demoOptions));
    }
    TopologyConfig config = TopologyConfig.read(runDir);
    Audit.Result result;
    try (Clients clients = new Clients(config)) {
      new Demo(config, clients, out).run();
    } finally {
      out.println();
      out.println("audit:");
      result = new Audit(config).run(Duration.ofSeconds(seconds(options)), out);
      if (startedHere) {
        out.println();
        out.println("stopping:");
        new Topology(config).down(out);
      }
    }
    out.printf("demo wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.println(result.line());
    return result.violations().isEmpty() ? 0 : 1;
  }

  /**
   * A fresh HA topology with kill windows, no pre-check (refusals happen inside the transaction, so
   * Cancel runs) and a retry ladder that outlasts a restart; then the chaos run; then down.
   */
  private int chaos(Path home, Path runDir, Map<String, String> options) throws Exception {
    ChaosCommand.Plan plan = ChaosCommand.Plan.from(options);
    Map<String, String> chaosOptions = new LinkedHashMap<>(options);
    chaosOptions.put("ha", "true");
    chaosOptions.put("no-precheck", "true");
    chaosOptions.putIfAbsent("retry-ladder", ChaosCommand.LADDER);
    TopologyConfig config = configFor(home, runDir, chaosOptions).withChaos();
    return onFreshTopology(
        new Topology(config), topology -> new ChaosCommand(topology, out).run(plan));
  }

  /**
   * A fresh topology of only the processes an order involves (database, ZooKeeper, TC, points,
   * portal, mall), without pre-check (the tcc and plain arms then make the same Dubbo calls); then
   * the benchmark; then down. The relays, subscribers and payment side would only take CPU from the
   * arms.
   */
  private int bench(Path home, Path runDir, Map<String, String> options) throws Exception {
    if (options.containsKey("outbox")) {
      return outboxBench(home, runDir, options);
    }
    BenchCommand.Plan plan = BenchCommand.Plan.from(options, home, runDir);
    Map<String, String> benchOptions = new LinkedHashMap<>(options);
    benchOptions.put("no-precheck", "true");
    return onFreshTopology(
        Topology.forBench(configFor(home, runDir, benchOptions), BenchCommand::involved),
        topology -> new BenchCommand(topology, out).run(plan));
  }

  /**
   * {@code bench --outbox}, the outbox part alone: a fresh topology of the processes an order
   * involves plus the relays and the accompaniment subscribers, on a production class path (no
   * bench plugin), without pre-check as the arms run; then the fixed rates and the burst; then
   * down.
   */
  private int outboxBench(Path home, Path runDir, Map<String, String> options) throws Exception {
    OutboxBench.Plan plan = OutboxBench.Plan.from(options, home, runDir);
    Map<String, String> benchOptions = new LinkedHashMap<>(options);
    benchOptions.put("no-precheck", "true");
    TopologyConfig config = configFor(home, runDir, benchOptions);
    return onFreshTopology(
        new Topology(config, OutboxBench.involved(new Topology(config))),
        topology -> new OutboxBench(topology, out).run(plan));
  }

  /** A command run on a topology started for it alone. */
  private interface OwnTopologyRun {
    CommandOutcome run(Topology topology) throws Exception;
  }

  /**
   * Stops whatever runs in the run directory, wipes its data and chaos files, starts {@code
   * config}, runs {@code body}, stops the topology, and prints the body's result line last (scripts
   * read it).
   */
  private int onFreshTopology(Topology topology, OwnTopologyRun body) throws Exception {
    TopologyConfig config = topology.config();
    Path runDir = config.runDir();
    if (Files.exists(runDir.resolve(TopologyConfig.FILE))) {
      new Topology(TopologyConfig.read(runDir)).down(out);
    }
    deleteTree(runDir.resolve("data"));
    deleteTree(config.chaosDir());
    up(topology);
    CommandOutcome outcome;
    try {
      outcome = body.run(topology);
    } finally {
      out.println("stopping:");
      topology.down(out);
    }
    out.println(outcome.lastLine());
    return outcome.exitCode();
  }

  private int audit(TopologyConfig config, long waitSeconds) {
    Audit.Result result = new Audit(config).run(Duration.ofSeconds(waitSeconds), out);
    out.println(result.line());
    return result.violations().isEmpty() ? 0 : 1;
  }

  private int order(TopologyConfig config, List<String> args) {
    if (args.size() != 3) {
      throw usage("order <orderNo> <userId> <channel>=<points>[,<channel>=<points>...]");
    }
    long user;
    try {
      user = Long.parseLong(args.get(1));
    } catch (NumberFormatException e) {
      throw usage("userId must be a number, was [" + args.get(1) + "]");
    }
    List<OrderLine> lines = new ArrayList<>();
    for (String part : args.get(2).split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || !kv[1].matches("-?\\d{1,19}")) {
        throw usage("order line must be <channel>=<points>, was [" + part + "]");
      }
      lines.add(new OrderLine(kv[0], Long.parseLong(kv[1])));
    }
    try (Clients clients = new Clients(config)) {
      OrderResult result =
          clients.mall().placeOrder(new PlaceOrderRequest(args.get(0), user, lines));
      out.println(result);
      return 0;
    }
  }

  private static long seconds(Map<String, String> options) {
    String value = options.getOrDefault("wait", "60");
    if (!value.matches("\\d{1,4}")) {
      throw usage("--wait must be a number of seconds, was [" + value + "]");
    }
    return Long.parseLong(value);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static CliException usage(String message) {
    return new CliException(message + "\n" + USAGE);
  }
}
