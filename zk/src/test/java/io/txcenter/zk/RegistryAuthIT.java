package io.txcenter.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.secrets.ZooKeeperJaas;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real ZooKeeper server in this JVM, attacked as a client would: anonymously, with a made-up
 * digest credential, and with the cluster's credential.
 */
class RegistryAuthIT {

  private static final String CREDENTIAL = "txc:" + UUID.randomUUID();
  private static final String OTHER_CREDENTIAL = "txc:" + UUID.randomUUID();

  @TempDir static Path dir;
  private static EmbeddedZooKeeper server;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedZooKeeper.start(freePort(), dir.resolve("zk"), List.of(CREDENTIAL));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/txc", "/txc/subscriptions", "/dubbo", "/registry/zk/default"})
  void givenAnAnonymousClient_createSetDataDeleteAndRead_areRefusedAndItsSessionClosed(
      String parent) throws Exception {
    String child = ("/".equals(parent) ? "" : parent) + "/spy";
    assertThat(refusal(null, zk -> zk.create(child, new byte[0], open(), CreateMode.PERSISTENT)))
        .isEqualTo(KeeperException.Code.SESSIONCLOSEDREQUIRESASLAUTH);
    assertThat(refusal(null, zk -> zk.setData(parent, new byte[] {1}, -1)))
        .isEqualTo(KeeperException.Code.SESSIONCLOSEDREQUIRESASLAUTH);
    assertThat(refusal(null, zk -> zk.delete(parent, -1)))
        .isEqualTo(KeeperException.Code.SESSIONCLOSEDREQUIRESASLAUTH);
    assertThat(refusal(null, zk -> zk.getChildren(parent, false)))
        .isEqualTo(KeeperException.Code.SESSIONCLOSEDREQUIRESASLAUTH);
    assertUnchanged(parent, child);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/txc", "/txc/relay", "/dubbo", "/registry/zk/default"})
  void givenAWrongDigestCredential_createSetDataDelete_areRefused(String parent) throws Exception {
    String child = ("/".equals(parent) ? "" : parent) + "/spy";
    for (String wrong : List.of(OTHER_CREDENTIAL, "attacker:secret", "txc:")) {
      assertThat(refusal(wrong, zk -> zk.create(child, new byte[0], open(), CreateMode.PERSISTENT)))
          .isEqualTo(KeeperException.Code.AUTHFAILED);
      assertThat(refusal(wrong, zk -> zk.setData(parent, new byte[] {1}, -1)))
          .isEqualTo(KeeperException.Code.AUTHFAILED);
      assertThat(refusal(wrong, zk -> zk.delete(parent, -1)))
          .isEqualTo(KeeperException.Code.AUTHFAILED);
    }
    assertUnchanged(parent, child);
  }

  @Test
  void theClusterCredential_createsChangesAndDeletes_underEveryRoot() throws Exception {
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      for (String root : List.of("/txc/subscriptions", "/dubbo", "/registry/zk/default")) {
        String path = root + "/it-" + UUID.randomUUID();
        zk.create(path, new byte[0], clusterAcl(), CreateMode.PERSISTENT);
        zk.setData(path, new byte[] {7}, -1);
        assertThat(zk.getData(path, false, null)).containsExactly(7);
        zk.delete(path, -1);
        assertThat(zk.exists(path, false)).isNull();
      }
    }
  }

  @Test
  void everyRoot_givesAllToTheClusterIdentityOnly() throws Exception {
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      for (String path : List.of("/", "/dubbo", "/txc", "/txc/subscriptions", "/txc/relay")) {
        assertThat(zk.getACL(path, new Stat())).as(path).isEqualTo(clusterAcl());
      }
      // Seata's subtree: the digest identity and the SASL one the TC logs in with on every handle
      for (String path : List.of("/registry", "/registry/zk", "/registry/zk/default")) {
        assertThat(zk.getACL(path, new Stat()))
            .as(path)
            .isEqualTo(RegistryAcls.registryAclFor(List.of(CREDENTIAL)))
            .hasSize(2)
            .anyMatch(
                a ->
                    a.getId().getScheme().equals("sasl")
                        && a.getId().getId().equals(ZooKeeperJaas.saslUser(CREDENTIAL)));
      }
      for (String path : RegistryAcls.roots("default")) {
        assertThat(zk.getACL(path, new Stat()))
            .as(path)
            .isEqualTo(RegistryAcls.aclOf(path, List.of(CREDENTIAL)));
      }
    }
  }

  @Test
  void aClusterClient_cannotOpenItsOwnNodeToTheWorld_forAnAnonymousSpy() throws Exception {
    // even a node created world-writable by a holder of the credential (as Seata's zkclient does)
    // stays out of reach of a client without it: the server refuses its session first
    String path = "/registry/zk/default/127.0.0.1:" + freePort();
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      assertThat(refusal(null, spy -> spy.delete(path, -1)))
          .isEqualTo(KeeperException.Code.SESSIONCLOSEDREQUIRESASLAUTH);
      assertThat(refusal(OTHER_CREDENTIAL, spy -> spy.delete(path, -1)))
          .isEqualTo(KeeperException.Code.AUTHFAILED);
      assertThat(zk.exists(path, false)).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"stat", "cons", "mntr", "dump", "envi", "wchc", "wchp", "conf", "crst", "isro"})
  void fourLetterWordsListingClientsOrSettings_areNotAnswered(String word) throws Exception {
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      zk.exists("/txc", false); // a client whose address a listing would show
      assertThat(fourLetterWord(word))
          .contains("not in the whitelist")
          .doesNotContain("127.0.0.1")
          .doesNotContain(CREDENTIAL.substring(4));
    }
    assertThat(fourLetterWord("ruok")).isEqualTo("imok");
  }

  @Test
  void srvr_whichZooKeeperAlwaysAnswers_listsNoClient() throws Exception {
    // ZooKeeper 3.8 answers srvr whatever the whitelist says (FourLetterCommands.isEnabled)
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      zk.exists("/txc", false);
      assertThat(fourLetterWord("srvr")).contains("Connections:").doesNotContain("127.0.0.1");
    }
  }

  @Test
  void givenNodesOfAnEarlierCredential_aRestartWithANewOne_handsThemToTheNewIdentity(
      @TempDir Path other) throws Exception {
    String old = "txc:" + UUID.randomUUID();
    String rotated = "txc:" + UUID.randomUUID();
    int port = freePort();
    String path = "/dubbo/io.txcenter.Old/providers";
    try (EmbeddedZooKeeper first = EmbeddedZooKeeper.start(port, other, List.of(old));
        ZooKeeper zk = connect(first.connectString(), old)) {
      zk.create("/dubbo/io.txcenter.Old", new byte[0], acl(old), CreateMode.PERSISTENT);
      zk.create(path, new byte[0], acl(old), CreateMode.PERSISTENT);
    }
    try (EmbeddedZooKeeper second = EmbeddedZooKeeper.start(port, other, List.of(rotated));
        ZooKeeper zk = connect(second.connectString(), rotated)) {
      assertThat(zk.getACL(path, new Stat())).isEqualTo(acl(rotated));
      zk.create(path + "/p1", new byte[0], acl(rotated), CreateMode.EPHEMERAL);
      zk.setData(path, new byte[] {1}, -1);
    }
  }

  @Test
  void aSaslLoginWithAWrongPassword_isRefusedAndCreatesNothing() throws Exception {
    String path = "/registry/zk/default/127.0.0.1:" + freePort();
    for (String wrong :
        List.of(
            ZooKeeperJaas.saslUser(CREDENTIAL) + ":" + UUID.randomUUID(),
            ZooKeeperJaas.saslUser(OTHER_CREDENTIAL) + ":" + OTHER_CREDENTIAL.substring(4),
            "attacker:secret")) {
      String[] userPassword = wrong.split(":", 2);
      try (ZooKeeper zk = connectSasl(userPassword[0], userPassword[1])) {
        assertThat(zk.getState()).isEqualTo(ZooKeeper.States.AUTH_FAILED);
        KeeperException refused = null;
        try {
          zk.create(path, new byte[0], open(), CreateMode.EPHEMERAL);
        } catch (KeeperException e) {
          refused = e;
        }
        assertThat(refused).as(userPassword[0]).isNotNull();
        assertThat(refused.code()).isEqualTo(KeeperException.Code.AUTHFAILED);
      }
    }
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      assertThat(zk.exists(path, false)).isNull();
    }
  }

  @Test
  void aSaslLoginWithTheClusterCredential_registersATc_butTouchesNothingElse() throws Exception {
    String path = "/registry/zk/default/127.0.0.1:" + freePort();
    try (ZooKeeper zk =
        connectSasl(ZooKeeperJaas.saslUser(CREDENTIAL), CREDENTIAL.substring("txc:".length()))) {
      assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
      zk.create(path, new byte[0], open(), CreateMode.EPHEMERAL);
      assertThat(zk.exists(path, false)).isNotNull();
      KeeperException refused = null;
      try {
        zk.create("/dubbo/spy", new byte[0], open(), CreateMode.EPHEMERAL);
      } catch (KeeperException e) {
        refused = e;
      }
      assertThat(refused).isNotNull();
      assertThat(refused.code()).isEqualTo(KeeperException.Code.NOAUTH);
    }
  }

  @Test
  void aMalformedCredential_isRefusedBeforeAnythingStarts() {
    for (String bad : List.of("no-colon", ":password", "user:", "")) {
      assertThatThrownBy(
              () -> EmbeddedZooKeeper.start(freePort(), dir.resolve("bad"), List.of(bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a ZooKeeper credential must be user:password with both parts non-empty");
    }
  }

  // -- helpers

  @FunctionalInterface
  interface ZkCall {
    void call(ZooKeeper zk) throws Exception;
  }

  /**
   * Runs {@code call} in a fresh session (authenticated as {@code credential} if not null) and
   * returns the code it was refused with; fails if it was not refused.
   */
  private static KeeperException.Code refusal(String credential, ZkCall call) throws Exception {
    try (ZooKeeper zk = credential == null ? connect(null) : connect(credential)) {
      KeeperException refused = null;
      try {
        call.call(zk);
      } catch (KeeperException e) {
        refused = e;
      }
      assertThat(refused).as("the call must be refused").isNotNull();
      return refused.code();
    }
  }

  private static void assertUnchanged(String parent, String child) throws Exception {
    try (ZooKeeper zk = connect(CREDENTIAL)) {
      assertThat(zk.exists(child, false)).as(child).isNull();
      Stat stat = zk.exists(parent, false);
      assertThat(stat).as(parent).isNotNull();
      assertThat(zk.getACL(parent, new Stat()))
          .as(parent)
          .isEqualTo(RegistryAcls.aclOf(parent, List.of(CREDENTIAL)));
      if (!"/".equals(parent)) {
        assertThat(stat.getVersion()).as("%s never written", parent).isZero();
      }
    }
  }

  private static ZooKeeper connect(String credential) throws Exception {
    return connect(server.connectString(), credential);
  }

  private static ZooKeeper connect(String connectString, String credential) throws Exception {
    // digest only, as Curator and Dubbo connect (this JVM has the server's JAAS file)
    ZKClientConfig clientConfig = new ZKClientConfig();
    clientConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    ZooKeeper zk = new ZooKeeper(connectString, 10_000, event -> {}, clientConfig);
    if (credential != null) {
      zk.addAuthInfo("digest", credential.getBytes(StandardCharsets.UTF_8));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> zk.getState() == ZooKeeper.States.CONNECTED || !zk.getState().isAlive());
    return zk;
  }

  /**
   * A client that logs in through SASL DIGEST-MD5 only (no digest auth), with a JAAS section of its
   * own added beside the server's: returns once the login succeeded or failed.
   */
  private static ZooKeeper connectSasl(String user, String password) throws Exception {
    String section = "TestClient" + UUID.randomUUID().toString().replace("-", "");
    Configuration serverConfig = Configuration.getConfiguration();
    AppConfigurationEntry entry =
        new AppConfigurationEntry(
            "org.apache.zookeeper.server.auth.DigestLoginModule",
            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
            Map.of("username", user, "password", password));
    Configuration.setConfiguration(
        new Configuration() {
          @Override
          public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return section.equals(name)
                ? new AppConfigurationEntry[] {entry}
                : serverConfig.getAppConfigurationEntry(name);
          }
        });
    try {
      ZKClientConfig clientConfig = new ZKClientConfig();
      clientConfig.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section);
      List<Watcher.Event.KeeperState> states = new CopyOnWriteArrayList<>();
      ZooKeeper zk =
          new ZooKeeper(
              server.connectString(), 10_000, event -> states.add(event.getState()), clientConfig);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  states.contains(Watcher.Event.KeeperState.SaslAuthenticated)
                      || states.contains(Watcher.Event.KeeperState.AuthFailed));
      return zk;
    } finally {
      Configuration.setConfiguration(serverConfig);
    }
  }

  private static List<ACL> clusterAcl() {
    return acl(CREDENTIAL);
  }

  private static List<ACL> acl(String credential) {
    return RegistryAcls.aclFor(List.of(credential));
  }

  private static List<ACL> open() {
    return ZooDefs.Ids.OPEN_ACL_UNSAFE;
  }

  private String fourLetterWord(String word) throws IOException {
    int port = Integer.parseInt(server.connectString().substring("127.0.0.1:".length()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
