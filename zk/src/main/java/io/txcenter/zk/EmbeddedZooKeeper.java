package io.txcenter.zk;

import io.txcenter.secrets.DigestCredential;
import io.txcenter.secrets.Secrets;
import io.txcenter.secrets.ZooKeeperJaas;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.zookeeper.server.auth.SASLAuthenticationProvider;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ZooKeeper server in this JVM, listening on {@code txc.bind.host} (127.0.0.1 unless set)
 * only: client port, and in an ensemble the peer and election ports; no admin server, no JMX
 * connector. It serves authenticated clients only: a session must authenticate with a cluster
 * credential ({@code digest} scheme, {@link ClusterDigestAuthenticationProvider}, or a SASL
 * DIGEST-MD5 login against the JAAS {@code Server} section of {@link ZooKeeperJaas}) before any
 * request, and the registry's nodes carry the ACLs of {@link RegistryAcls}.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

  private static final String FOUR_FIELDS = "<id>:<clientPort>:<peerPort>:<electionPort>";
  private static final String FIVE_FIELDS = "<id>:<host>:<clientPort>:<peerPort>:<electionPort>";
  // a DNS label (RFC 1123) and an IPv4 octet without leading zeros
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

  private final ZooKeeperServerEmbedded server;
  private final String host;
  private final int port;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts a standalone server accepting {@code credentials} ({@code user:password}, the current
   * one first) and returns once it serves with the registry's ACLs in place.
   */
  public static EmbeddedZooKeeper start(int port, Path baseDir, List<String> credentials)
      throws Exception {
    return start(port, baseDir, 0, "", credentials, "default");
  }

  /**
   * Starts a server on {@link #bindHost()}; with {@code ensemble} it is member {@code myId} of that
   * quorum (the format: {@link #config}). Returns once it answers {@code ruok}, which a quorum
   * member does only after the quorum has formed, and has applied {@link RegistryAcls} (ALL for
   * each of {@code credentials}, Seata's TC cluster {@code seataCluster}).
   */
  public static EmbeddedZooKeeper start(
      int port,
      Path baseDir,
      int myId,
      String ensemble,
      List<String> credentials,
      String seataCluster)
      throws Exception {
    return start(bindHost(), port, baseDir, myId, ensemble, credentials, seataCluster);
  }

  /**
   * As {@link #start(int, Path, int, String, List, String)}, listening on {@code bindHost} (a
   * literal IP address, as {@code txc.bind.host} takes) instead of the setting.
   */
  public static EmbeddedZooKeeper start(
      String bindHost,
      int port,
      Path baseDir,
      int myId,
      String ensemble,
      List<String> credentials,
      String seataCluster)
      throws Exception {
    String host = literalAddress(bindHost);
    requireCredentials(credentials);
    if (!seataCluster.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "Seata cluster must be letters, digits, '_', '.' or '-', was [" + seataCluster + "]");
    }
    credentials.forEach(ClusterDigestAuthenticationProvider::accept);
    // the server's own bootstrap identity: random, in this JVM's memory only, super user so that it
    // can re-ACL nodes an earlier run created under an earlier credential
    String admin = "txc-zk-admin:" + Secrets.randomToken(24);
    ClusterDigestAuthenticationProvider.acceptAsSuper(admin);
    Files.createDirectories(baseDir);
    // SASL DIGEST-MD5 for clients that must survive a session expiry (the TC: zkclient re-sends its
    // digest on no new handle, ZooKeeper's client repeats a JAAS login on every one). Read when the
    // server configures its connection factory (ServerCnxnFactory.configureSaslLogin), so before
    // start; an owner-only file holding the passwords, only its path is a system property
    Path jaas = baseDir.resolve("secrets").resolve("zookeeper-jaas.conf");
    ZooKeeperJaas.writeServer(jaas, credentials);
    ZooKeeperJaas.install(jaas);
    Properties config = config(port, baseDir, myId, ensemble, host);
    ZooKeeperServerEmbedded server =
        ZooKeeperServerEmbedded.builder()
            .baseDir(baseDir)
            .configuration(config)
            .exitHandler(ExitHandler.LOG_ONLY)
            .build();
    server.start();
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(server, host, port);
    try {
      zk.awaitServing(Duration.ofSeconds(ensemble.isBlank() ? 30 : 120));
      int nodes = RegistryAcls.apply(zk.connectString(), admin, credentials, seataCluster);
      log.info("zookeeper registry acls applied nodes={} identities={}", nodes, credentials.size());
    } catch (Exception | Error e) {
      zk.close();
      throw e;
    }
    return zk;
  }

  /**
   * The server's configuration: every port it opens (client, and for an ensemble member peer and
   * election) on {@code host}; no admin server. {@code ensemble} is blank (standalone) or its
   * members joined by {@code ,}, all in one of two forms: {@code
   * <id>:<clientPort>:<peerPort>:<electionPort>}, every member on {@code host}; or {@code
   * <id>:<host>:<clientPort>:<peerPort>:<electionPort>}, each member on its own host (a DNS name or
   * an IPv4 literal), but member {@code myId} on {@code host}, the address it listens on. The
   * client port is not used here.
   *
   * @throws IllegalArgumentException naming the member or the setting, for a malformed member, the
   *     two forms mixed, a repeated id, or {@code myId} not among the members
   */
  static Properties config(int port, Path baseDir, int myId, String ensemble, String host)
      throws IOException {
    Properties config = new Properties();
    config.setProperty("clientPort", String.valueOf(port));
    config.setProperty("clientPortAddress", host);
    // peer and election ports listen on each server.N address only (the default)
    config.setProperty("quorumListenOnAllIPs", "false");
    // sessions expire on tick boundaries and are raised to at least 2 ticks: a 500 ms tick lets
    // the relays' 3 s sessions end close to 3 s, so a killed leader is replaced within 5 s
    config.setProperty("tickTime", "500");
    config.setProperty("minSessionTimeout", "2000");
    config.setProperty("initLimit", "40");
    config.setProperty("syncLimit", "20");
    config.setProperty("maxClientCnxns", "0");
    config.setProperty("admin.enableServer", "false");
    // health checks need ruok only; srvr, stat, cons, mntr, dump, envi list clients or settings
    config.setProperty("4lw.commands.whitelist", "ruok");
    // ZooKeeper turns unknown keys into zookeeper.<key> system properties (QuorumPeerConfig):
    // every client request before a digest authentication is refused and its session closed
    // (AuthenticationHelper), and digest authentication accepts the cluster's credentials only
    config.setProperty("enforce.auth.enabled", "true");
    config.setProperty("enforce.auth.schemes", "digest,sasl");
    config.setProperty("authProvider.1", ClusterDigestAuthenticationProvider.class.getName());
    // SASL DIGEST-MD5 against the JAAS Server section (the cluster credentials only, see start):
    // a failed SASL login closes the connection (zookeeper.allowSaslFailedClients is false)
    config.setProperty("authProvider.2", SASLAuthenticationProvider.class.getName());
    config.setProperty("dataDir", baseDir.resolve("data").toString());
    if (!ensemble.isBlank()) {
      for (Member member : members(ensemble, myId)) {
        String address = member.id() == myId || member.host() == null ? host : member.host();
        config.setProperty(
            "server." + member.id(),
            address + ":" + member.peerPort() + ":" + member.electionPort());
      }
      Files.createDirectories(baseDir.resolve("data"));
      Files.writeString(baseDir.resolve("data").resolve("myid"), myId + "\n");
    }
    return config;
  }

  /** A member of {@code txc.zk.ensemble}; {@code host} is null in the four-field form. */
  record Member(int id, String host, int clientPort, int peerPort, int electionPort) {}

  /**
   * The members of {@code ensemble} (see {@link #config}), checked: each well formed, all in one
   * form, ids unique, {@code myId} among them.
   */
  static List<Member> members(String ensemble, int myId) {
    List<Member> members = new ArrayList<>();
    Set<Integer> ids = new LinkedHashSet<>();
    int form = 0;
    for (String raw : ensemble.split(",")) {
      String member = raw.trim();
      String[] f = member.split(":", -1);
      if (f.length != 4 && f.length != 5) {
        throw new IllegalArgumentException(
            "ensemble member must be "
                + FOUR_FIELDS
                + " or "
                + FIVE_FIELDS
                + ", was ["
                + member
                + "]");
      }
      if (form != 0 && f.length != form) {
        throw new IllegalArgumentException(
            "ensemble members must all be "
                + FOUR_FIELDS
                + " or all "
                + FIVE_FIELDS
                + ", was ["
                + member
                + "] among members of "
                + form
                + " fields");
      }
      form = f.length;
      int id = number(f[0], 255, "id", member);
      String host = f.length == 5 ? host(f[1], member) : null;
      int next = f.length - 3;
      Member parsed =
          new Member(
              id,
              host,
              number(f[next], 65535, "client port", member),
              number(f[next + 1], 65535, "peer port", member),
              number(f[next + 2], 65535, "election port", member));
      if (!ids.add(id)) {
        throw new IllegalArgumentException(
            "ensemble member ids must be unique, id [" + id + "] repeats in [" + member + "]");
      }
      members.add(parsed);
    }
    if (!ids.contains(myId)) {
      throw new IllegalArgumentException(
          "setting 'txc.zk.id' must be the id of a member of 'txc.zk.ensemble' "
              + ids
              + ", was ["
              + myId
              + "]");
    }
    return List.copyOf(members);
  }

  private static int number(String value, int max, String what, String member) {
    if (value.matches("[1-9][0-9]{0,4}") && Integer.parseInt(value) <= max) {
      return Integer.parseInt(value);
    }
    throw new IllegalArgumentException(
        "ensemble member's "
            + what
            + " must be 1.."
            + max
            + ", was ["
            + value
            + "] in ["
            + member
            + "]");
  }

  /** A DNS name or an IPv4 literal; a name whose last label is all digits must be the latter. */
  private static String host(String value, String member) {
    boolean ipv4 = value.matches(OCTET + "(?:\\." + OCTET + "){3}");
    boolean name =
        value.length() <= 253
            && value.matches(LABEL + "(?:\\." + LABEL + ")*")
            && !value.matches("(?:.*\\.)?[0-9]+");
    if (ipv4 || name) {
      return value;
    }
    throw new IllegalArgumentException(
        "ensemble member's host must be a DNS name or an IPv4 address, was ["
            + value
            + "] in ["
            + member
            + "]");
  }

  private static void requireCredentials(List<String> credentials) {
    if (credentials.isEmpty()) {
      throw new IllegalArgumentException("at least one ZooKeeper credential is required");
    }
    credentials.forEach(c -> DigestCredential.parse(c, "a ZooKeeper credential"));
  }

  public String connectString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private void awaitServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if ("imok".equals(fourLetterWord("ruok"))) {
        return;
      }
      Thread.sleep(100); // polling a socket: there is no event to wait on
    }
    throw new IllegalStateException("zookeeper did not answer ruok on port " + port);
  }

  private String fourLetterWord(String word) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1_000);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * {@code txc.bind.host} (env {@code TXC_BIND_HOST}): the literal IP address ZooKeeper listens on,
   * 127.0.0.1 unless set. A host name or a malformed value is refused.
   */
  static String bindHost() {
    String host = System.getProperty("txc.bind.host", System.getenv("TXC_BIND_HOST"));
    if (host == null || host.isBlank()) {
      return "127.0.0.1";
    }
    return literalAddress(host.trim());
  }

  private static String literalAddress(String host) {
    if (host == null
        || !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            && !host.matches("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      throw new IllegalArgumentException(
          "setting 'txc.bind.host' must be a literal IP address, was [" + host + "]");
    }
    return host;
  }
}
