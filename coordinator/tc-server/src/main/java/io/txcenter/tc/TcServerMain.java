package io.txcenter.tc;

import io.seata.server.ServerApplication;
import io.txcenter.metrics.MetricsEndpoint;
import io.txcenter.secrets.DigestCredential;
import io.txcenter.secrets.Secrets;
import io.txcenter.secrets.ZooKeeperJaas;
import io.txcenter.sql.DdlScripts;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Seata TC: registered in ZooKeeper under the advertised address (loopback by default),
 * store mode {@code file} or {@code db}, and a console whose credentials and JWT secret are never
 * Seata's built-in defaults.
 *
 * <p>Settings ({@code -Dtxc.x} or {@code TXC_X}): {@code txc.tc.port} (8091), {@code
 * txc.console.port} (7091), {@code txc.zk.address}, {@code txc.advertise.host}, {@code
 * txc.bind.host} (127.0.0.1: the RPC port and the console listen there), {@code txc.tc.store}
 * (file|db), {@code txc.tc.jdbc.url/user/password} for db, {@code txc.console.user/password},
 * {@code txc.console.jwt-secret}, {@code txc.run.dir}, {@code txc.name}; secret {@code
 * zk.credential} (ZooKeeper digest {@code user:password}).
 */
public final class TcServerMain {

  private static final Logger log = LoggerFactory.getLogger(TcServerMain.class);
  private static final String IPV4 = "\\d{1,3}(\\.\\d{1,3}){3}";

  private TcServerMain() {}

  /** The JDK's setting of the common pool's parallelism, read once, when the pool is created. */
  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) throws Exception {
    // Seata runs phase two's branches in parallel with CompletableFuture.supplyAsync on the
    // default async pool (SessionHelper.parallelForEach). With 2 CPUs the common pool's
    // parallelism is 1, and the JDK then starts a new thread for every task, i.e. every branch of
    // every commit. First, before anything creates the pool: size it (txc.tc.phase-two-threads).
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      String threads = setting("txc.tc.phase-two-threads", "16");
      if (!threads.matches("[1-9][0-9]{0,2}") || Integer.parseInt(threads) > 256) {
        throw new IllegalArgumentException(
            "setting 'txc.tc.phase-two-threads' must be a whole number in [1, 256], was ["
                + threads
                + "]");
      }
      System.setProperty(COMMON_POOL_PARALLELISM, threads);
    }
    Path runDir = Path.of(setting("txc.run.dir", "run")).toAbsolutePath();
    String name = setting("txc.name", "tc");
    String advertise = setting("txc.advertise.host", "127.0.0.1");
    int servicePort = Integer.parseInt(setting("txc.tc.port", "8091"));
    int consolePort = Integer.parseInt(setting("txc.console.port", "7091"));
    String store = setting("txc.tc.store", "file").toLowerCase(Locale.ROOT);

    String bind = setting("txc.bind.host", "127.0.0.1");
    if (!advertise.matches(IPV4)) {
      // registered as host:port, and the Seata clients' address parsing takes IPv4 only
      throw new IllegalArgumentException(
          "setting 'txc.advertise.host' must be a literal IPv4 address, was [" + advertise + "]");
    }
    literalIp("txc.bind.host", bind);
    // read by the RPC port's bootstrap (io.seata.core.rpc.netty.NettyServerBootstrap, patched)
    System.setProperty("txc.advertise.host", advertise);
    System.setProperty("txc.bind.host", bind);
    // the console (Spring Boot)
    System.setProperty("server.address", bind);
    System.setProperty("server.port", String.valueOf(consolePort));
    System.setProperty("seata.server.service-port", String.valueOf(servicePort));
    System.setProperty("log.home", runDir.resolve("logs/" + name).toString());
    // the TC logs every request and response at INFO (BatchLogHandler): WARN unless asked
    System.setProperty("logging.level.io.seata", setting("txc.tc.log.level", "WARN"));
    // phase two of a transaction's branches in parallel rather than one after the other
    String parallel = setting("txc.tc.parallel-branches", "true");
    System.setProperty("server.enableParallelHandleBranch", parallel);
    System.setProperty("seata.server.enable-parallel-handle-branch", parallel);
    System.setProperty("seata.config.type", "file");
    System.setProperty("seata.registry.type", "zk");
    System.setProperty(
        "seata.registry.zk.server-addr", setting("txc.zk.address", "127.0.0.1:2181"));
    System.setProperty("seata.registry.zk.cluster", setting("txc.tc.cluster", "default"));
    System.setProperty("seata.registry.zk.session-timeout", "6000");
    System.setProperty("seata.registry.zk.connect-timeout", "5000");
    configureZooKeeperCredential(runDir, name);
    configureStore(store, runDir.resolve("data/" + name));
    configureConsole(runDir, name);

    // Phase two is retried until it succeeds: at a retry timeout Seata 2.0 ends the session as
    // CommitFailed / RollbackFailed and deletes it (seata #5295, #6480), which would drop the
    // frozen points or quota of its other branches without a trace. -1 (Seata's default) never
    // times out; pinned so that a configuration file cannot turn it on. A retrying session shows
    // in txc_tc_global_sessions and raises TxcBranchPhaseTwoRetrying (docs/operations.md).
    System.setProperty("server.maxCommitRetryTimeout", "-1");
    System.setProperty("server.maxRollbackRetryTimeout", "-1");
    System.setProperty("seata.server.max-commit-retry-timeout", "-1");
    System.setProperty("seata.server.max-rollback-retry-timeout", "-1");
    // Seata's own metrics exporter serves on a port of its own bound to every interface: off;
    // SeataTcMetrics puts the same metrics on the process's endpoint
    System.setProperty("seata.metrics.enabled", "false");
    System.setProperty("metrics.enabled", "false");
    ServerApplication.main(args);
    MetricsEndpoint metrics = MetricsEndpoint.startFromSettings(InetAddress.getByName(bind));
    if (metrics != null) {
      TcMetrics.bind(metrics.registry());
      SeataTcMetrics.bind(metrics.registry());
    }
    Path marker = runDir.resolve(name + ".ready");
    Files.createDirectories(runDir);
    Files.writeString(marker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    marker.toFile().deleteOnExit();
    log.info(
        "tc ready address={}:{} console=http://{}:{} store={}",
        advertise,
        servicePort,
        advertise,
        consolePort,
        store);
  }

  /**
   * A literal IP address, or a typed error naming the setting. Seata refuses to advertise loopback
   * ({@code Server.start} ignores {@code -h 127.0.0.1}); the patched {@code NettyServerBootstrap}
   * sets the advertised address through the public {@code XID.setIpAddress} instead.
   */
  private static void literalIp(String key, String host) {
    if (!host.matches(IPV4) && !host.matches("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      throw new IllegalArgumentException(
          "setting '" + key + "' must be a literal IP address, was [" + host + "]");
    }
  }

  private static void configureStore(String store, Path dataDir) throws SQLException {
    switch (store) {
      case "file" -> {
        System.setProperty("seata.store.mode", "file");
        System.setProperty("seata.store.file.dir", dataDir.resolve("sessionStore").toString());
      }
      case "db" -> {
        String url = required("txc.tc.jdbc.url");
        String user = setting("txc.tc.jdbc.user", "root");
        String password = setting("txc.tc.jdbc.password", "");
        createStoreTables(url, user, password);
        System.setProperty("seata.store.mode", "db");
        System.setProperty("seata.store.db.datasource", "hikari");
        System.setProperty("seata.store.db.db-type", "mysql");
        System.setProperty("seata.store.db.driver-class-name", "com.mysql.cj.jdbc.Driver");
        System.setProperty("seata.store.db.url", url);
        System.setProperty("seata.store.db.user", user);
        System.setProperty("seata.store.db.password", password);
        System.setProperty("seata.store.db.min-conn", "4");
        System.setProperty("seata.store.db.max-conn", "32");
        // In db mode Seata ends a committed or rolled-back session lazily: it stays in
        // global_table (Committing / Rollbacking) until the retry task finds it older than
        // server.retryDeadThreshold (130 s by default), which is also how long a session whose TC
        // died mid-commit waits before the survivor resumes it. txc.tc.retry-dead-threshold.ms
        // shortens both; Confirm/Cancel are fenced, so a resumed phase two that races the
        // original is absorbed.
        String threshold = setting("txc.tc.retry-dead-threshold.ms", "130000");
        System.setProperty("server.retryDeadThreshold", threshold);
        System.setProperty("seata.server.retry-dead-threshold", threshold);
      }
      default ->
          throw new IllegalArgumentException(
              "setting 'txc.tc.store' must be file or db, was [" + store + "]");
    }
  }

  /**
   * Seata's zk registry authenticates with the secret {@code zk.credential} ({@code user:password})
   * twice over, both set inside this JVM (never on its command line):
   *
   * <ul>
   *   <li>SASL DIGEST-MD5 through a JAAS {@code Client} section (an owner-only file under {@code
   *       <run dir>/secrets/}; only its path is a system property), which ZooKeeper's client
   *       repeats on every connection of every handle. This is what lets the TC re-register after a
   *       session expiry: zkclient 0.11's {@code ZkClient.reconnect} opens a new handle and re-adds
   *       no digest auth, and ZooKeeper (enforce.auth) closes a session without one.
   *   <li>digest, which Seata adds once, on its first handle.
   * </ul>
   */
  private static void configureZooKeeperCredential(Path runDir, String name) {
    String credential = Secrets.require("zk.credential");
    DigestCredential parsed = DigestCredential.parse(credential, "secret 'zk.credential'");
    // before Seata starts: javax.security.auth.login.Configuration is read once per JVM
    Path jaas = runDir.resolve("secrets").resolve(name + "-zookeeper-jaas.conf");
    ZooKeeperJaas.writeClient(jaas, credential);
    ZooKeeperJaas.install(jaas);
    System.setProperty("seata.registry.zk.username", parsed.user());
    System.setProperty("seata.registry.zk.password", parsed.password());
  }

  /**
   * Console login and JWT secret: the password is the secret {@code console.password} (secrets file
   * or {@code TXC_SECRET_CONSOLE_PASSWORD}; {@code TXC_CONSOLE_PASSWORD} still works), else random
   * and written to an owner-only file under the run directory. It is never logged.
   */
  private static void configureConsole(Path runDir, String name) {
    String user = setting("txc.console.user", "txc-admin");
    String password =
        Secrets.find("console.password").orElse(System.getenv("TXC_CONSOLE_PASSWORD"));
    if (password == null || password.isBlank()) {
      password = Secrets.randomToken(18);
      Path file = runDir.resolve("secrets").resolve(name + "-console.password");
      Secrets.writeOwnerOnly(file, password + "\n");
      log.warn("console password generated user={} file={} (owner-only)", user, file);
    }
    if ("seata".equals(user) && "seata".equals(password)) {
      throw new IllegalArgumentException(
          "the console must not keep Seata's default login seata/seata");
    }
    String secret = setting("txc.console.jwt-secret", "");
    if (secret.isBlank()) {
      // the console decodes its key as standard base64: hex digits are valid base64 text
      secret = HexFormat.of().formatHex(Secrets.randomBytes(48));
    } else if (!secret.matches("[A-Za-z0-9+/]{64,}={0,2}")) {
      throw new IllegalArgumentException(
          "setting 'txc.console.jwt-secret' must be standard base64 text of at least 64"
              + " characters, was ["
              + secret.length()
              + " characters]");
    }
    System.setProperty("console.user.username", user);
    System.setProperty("console.user.password", password);
    System.setProperty("seata.security.secretKey", secret);
    System.setProperty("seata.security.tokenValidityInMilliseconds", "1800000");
  }

  private static void createStoreTables(String url, String user, String password)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      for (String sql : DdlScripts.allStatements("seata")) {
        statement.execute(sql);
      }
    }
  }

  private static String required(String key) {
    String value = setting(key, "");
    if (value.isBlank()) {
      throw new IllegalArgumentException("setting '" + key + "' is required");
    }
    return value;
  }

  private static String setting(String key, String defaultValue) {
    String value = System.getProperty(key);
    if (value == null) {
      value = System.getenv(key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
    }
    return value == null ? defaultValue : value;
  }
}
