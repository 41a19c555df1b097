package io.txcenter.tools.topology;

import io.txcenter.secrets.Secrets;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where every part of a local topology lives: run directory, ports, database server and schema
 * names. Written to {@code <run dir>/topology.properties} by {@code up}; read by every other
 * command.
 *
 * <p>Ports are named, not fields: {@code ports} maps each process descriptor's id (its base port)
 * and {@code <id>.<name>} (an extra port, the TC's {@code tc.console}) to a port; instance {@code
 * i} of a descriptor listens on base + i. A new service adds its port through its descriptor
 * ({@link ProcessDescriptor}), not a component here.
 */
public record TopologyConfig(
    Path home,
    Path runDir,
    boolean embeddedDb,
    String dbServerUrl,
    String dbUser,
    String dbPassword,
    String schemaPrefix,
    Map<String, Integer> ports,
    List<String> channels,
    boolean mallPrecheck,
    String tcStore,
    String consoleUser,
    String consolePassword,
    String retryLadder,
    String flakySubscriber,
    int flakyAttempts,
    boolean ha,
    boolean chaos) {

  public static final String FILE = "topology.properties";

  /** The accompaniment subscribers: consumer group and tag expression, in start order. */
  public static final Map<String, String> SUBSCRIBERS = subscribers();

  /** The relay processes of the mall's outbox. */
  public static final List<String> RELAYS = List.of("relay-1", "relay-2");

  /** RocketMQ's consumer retry ladder: 16 retries, 10 s to 2 h. */
  public static final String ROCKETMQ_LADDER =
      "10s,30s,1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,20m,30m,1h,2h";

  private static Map<String, String> subscribers() {
    Map<String, String> subscribers = new LinkedHashMap<>();
    subscribers.put("ops", "OPS");
    subscribers.put("cs", "CS");
    subscribers.put("orch", "ORCH");
    subscribers.put("compliance", "OPS || ORCH");
    subscribers.put("datacenter", "*");
    return java.util.Collections.unmodifiableMap(subscribers);
  }

  /**
   * The defaults of {@code bin/txc up}: embedded database, standard ports, channels ch-a and ch-b.
   */
  public static TopologyConfig defaults(Path home, Path runDir) {
    return new TopologyConfig(
        home,
        runDir,
        true,
        "jdbc:mysql://127.0.0.1:3307/",
        "root",
        "",
        "txc_",
        defaultPorts(home),
        List.of("ch-a", "ch-b"),
        true,
        "file",
        "txc-admin",
        "",
        ROCKETMQ_LADDER,
        "",
        0,
        false,
        false);
  }

  /**
   * The ports the descriptors of the project at {@code home} declare ({@code port}, {@code
   * extra-port.<name>}).
   */
  static Map<String, Integer> defaultPorts(Path home) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ProcessDescriptor d : ProcessDescriptor.discover(home)) {
      if (d.get("port") != null) {
        ports.put(d.id(), Integer.parseInt(d.get("port").trim()));
      }
      d.under("extra-port.")
          .forEach((name, port) -> ports.put(d.id() + "." + name, Integer.parseInt(port.trim())));
    }
    return ports;
  }

  /** The same topology on other ports: {@code ports} replaces the named ports it names. */
  public TopologyConfig withPorts(Map<String, Integer> replaced) {
    Map<String, Integer> all = new LinkedHashMap<>(ports);
    all.putAll(replaced);
    return new TopologyConfig(
        home,
        runDir,
        embeddedDb,
        dbServerUrl,
        dbUser,
        dbPassword,
        schemaPrefix,
        Map.copyOf(all),
        channels,
        mallPrecheck,
        tcStore,
        consoleUser,
        consolePassword,
        retryLadder,
        flakySubscriber,
        flakyAttempts,
        ha,
        chaos);
  }

  /** A named port: a descriptor's base port ({@code <id>}) or extra port ({@code <id>.<name>}). */
  public int port(String name) {
    Integer port = ports.get(name);
    if (port == null) {
      throw new CliException(
          "no port [" + name + "] in this topology (ports: " + ports.keySet() + ")");
    }
    return port;
  }

  /** The port of instance {@code index} of descriptor {@code id}. */
  public int port(String id, int index) {
    return port(id) + index;
  }

  public int dbPort() {
    return port("db");
  }

  public int zkPort() {
    return port("zk");
  }

  public int tcPort() {
    return port("tc");
  }

  public int consolePort() {
    return port("tc.console");
  }

  /** The same topology with the chaos run's settings ({@link #chaos}). */
  public TopologyConfig withChaos() {
    return new TopologyConfig(
        home,
        runDir,
        embeddedDb,
        dbServerUrl,
        dbUser,
        dbPassword,
        schemaPrefix,
        ports,
        channels,
        mallPrecheck,
        tcStore,
        consoleUser,
        consolePassword,
        retryLadder,
        flakySubscriber,
        flakyAttempts,
        ha,
        true);
  }

  /** Where the chaos run and the processes' kill-window hooks meet ({@code txc.chaos.dir}). */
  public Path chaosDir() {
    return runDir.resolve("chaos");
  }

  /** ZooKeeper members: one, or three (an ensemble) in HA mode. */
  public int zkMembers() {
    return ha ? 3 : 1;
  }

  /** TC nodes: one, or two sharing the db store in HA mode. */
  public int tcNodes() {
    return ha ? 2 : 1;
  }

  /**
   * The ensemble of an HA topology: {@code <id>:<clientPort>:<peerPort>:<electionPort>}, the
   * members' ports being {@code zkPort}..+2, +3..+5 and +6..+8.
   */
  public String zkEnsemble() {
    List<String> members = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(
          (i + 1) + ":" + (zkPort() + i) + ":" + (zkPort() + 3 + i) + ":" + (zkPort() + 6 + i));
    }
    return String.join(",", members);
  }

  /**
   * Every schema the topology's processes create on the server: each process's and the extra ones
   * its descriptor names ({@link Topology#schemas}).
   */
  public List<String> schemas() {
    return new Topology(this).schemas();
  }

  public String schemaOfSubscriber(String group) {
    return schemaPrefix + "sub_" + group;
  }

  public String zkAddress() {
    List<String> members = new java.util.ArrayList<>();
    for (int i = 0; i < zkMembers(); i++) {
      members.add("127.0.0.1:" + (zkPort() + i));
    }
    return String.join(",", members);
  }

  public String schemaOfChannel(String channel) {
    return schemaPrefix + "points_" + channel.replace('-', '_');
  }

  public String schema(String service) {
    return schemaPrefix + service;
  }

  /** JDBC URL of one schema; the service creates the schema on first start. */
  public String jdbcUrl(String schema) {
    return dbServerUrl
        + schema
        + "?createDatabaseIfNotExist=true&useSSL=false&allowPublicKeyRetrieval=true";
  }

  /** JDBC access to the whole server (every schema), for the audit and the views of the CLI. */
  public org.springframework.jdbc.core.JdbcTemplate serverJdbc() {
    return new org.springframework.jdbc.core.JdbcTemplate(
        new org.springframework.jdbc.datasource.DriverManagerDataSource(
            dbServerUrl + "?useSSL=false&allowPublicKeyRetrieval=true", dbUser, dbPassword));
  }

  public String consoleUrl() {
    return "http://127.0.0.1:" + consolePort();
  }

  public void write() {
    Properties p = new Properties();
    p.setProperty("home", home.toString());
    p.setProperty("run.dir", runDir.toString());
    p.setProperty("db.embedded", String.valueOf(embeddedDb));
    p.setProperty("db.url", dbServerUrl);
    p.setProperty("db.user", dbUser);
    p.setProperty("db.password", dbPassword);
    p.setProperty("schema.prefix", schemaPrefix);
    ports.forEach((name, port) -> p.setProperty("port." + name, String.valueOf(port)));
    p.setProperty("channels", String.join(",", channels));
    p.setProperty("mall.precheck", String.valueOf(mallPrecheck));
    p.setProperty("tc.store", tcStore);
    p.setProperty("console.user", consoleUser);
    p.setProperty("console.password", consolePassword);
    p.setProperty("relay.retry-ladder", retryLadder);
    p.setProperty("flaky.subscriber", flakySubscriber);
    p.setProperty("flaky.attempts", String.valueOf(flakyAttempts));
    p.setProperty("ha", String.valueOf(ha));
    p.setProperty("chaos", String.valueOf(chaos));
    StringWriter text = new StringWriter();
    try {
      p.store(text, "txcenter local topology (holds the database password: owner-only)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // created 0600 and renamed into place: never readable by others, not even for a moment
    Secrets.writeOwnerOnly(runDir.resolve(FILE), text.toString());
  }

  /** The topology last started in {@code runDir}, or an error saying none is. */
  public static TopologyConfig read(Path runDir) {
    Path file = runDir.resolve(FILE);
    if (!Files.exists(file)) {
      throw new CliException("no topology in " + runDir + ": run `bin/txc up` first");
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TopologyConfig(
        Path.of(p.getProperty("home")),
        Path.of(p.getProperty("run.dir")),
        Boolean.parseBoolean(p.getProperty("db.embedded")),
        p.getProperty("db.url"),
        p.getProperty("db.user"),
        p.getProperty("db.password"),
        p.getProperty("schema.prefix"),
        ports(p),
        List.of(p.getProperty("channels").split(",")),
        Boolean.parseBoolean(p.getProperty("mall.precheck")),
        p.getProperty("tc.store", "file"),
        p.getProperty("console.user"),
        p.getProperty("console.password"),
        p.getProperty("relay.retry-ladder", ROCKETMQ_LADDER),
        p.getProperty("flaky.subscriber", ""),
        Integer.parseInt(p.getProperty("flaky.attempts", "0")),
        Boolean.parseBoolean(p.getProperty("ha", "false")),
        Boolean.parseBoolean(p.getProperty("chaos", "false")));
  }

  /**
   * The file's {@code port.<name>} values over the descriptors' defaults: a topology written before
   * ports were named (or before a service was added) still resolves every port.
   */
  private static Map<String, Integer> ports(Properties p) {
    Map<String, Integer> ports = defaultPorts(Path.of(p.getProperty("home")));
    for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
      if (key.startsWith("port.")) {
        ports.put(key.substring(5), Integer.parseInt(p.getProperty(key)));
      }
    }
    return Map.copyOf(ports);
  }
}
