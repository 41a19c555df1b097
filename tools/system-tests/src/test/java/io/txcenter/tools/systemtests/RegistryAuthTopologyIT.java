package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.ZooKeeperCredential;
import io.txcenter.secrets.ZooKeeperJaas;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The running topology's ZooKeeper, attacked as an outsider would: a fake provider, a fake TC and a
 * spy subscription, anonymously and with a made-up credential; and the ACLs of every node the
 * services themselves created.
 */
@ExtendWith(SharedTopology.class)
class RegistryAuthTopologyIT {

  private static TopologyConfig config;
  private static ZooKeeperCredential credential;

  private static final List<String> FORGERIES =
      List.of(
          "/txc/subscriptions/accompaniment/spy",
          "/dubbo/io.txcenter.payment.api.PaymentService/providers/dubbo%3A%2F%2F127.0.0.1%3A1",
          "/registry/zk/default/127.0.0.1:1",
          "/spy");

  @BeforeAll
  static void useSharedTopology() {
    config = SharedTopology.get().config();
    credential = ClusterSecrets.zooKeeperCredential(config.runDir());
  }

  @Test
  void anAnonymousClient_cannotRegisterAFakeProviderTcOrSubscription() throws Exception {
    for (String path : FORGERIES) {
      assertThat(forge(null, path))
          .as(path)
          .isEqualTo(KeeperException.Code.SESSIONCLOSEDREQUIRESASLAUTH);
    }
    assertNothingForged();
  }

  @Test
  void aClientWithAMadeUpCredential_cannotRegisterAnything() throws Exception {
    for (String made : List.of(credential.user() + ":" + UUID.randomUUID(), "admin:admin")) {
      for (String path : FORGERIES) {
        assertThat(forge(made, path)).as(path).isEqualTo(KeeperException.Code.AUTHFAILED);
      }
    }
    assertNothingForged();
  }

  @Test
  void everyNodeTheServicesCreated_givesTheWorldNothing_butTheTcsOwnNode() throws Exception {
    List<String> open = new ArrayList<>();
    List<String> visited = new ArrayList<>();
    try (CuratorFramework zk = ZooKeeperClient.connect(config.zkAddress(), credential, 10_000)) {
      for (String root : List.of("/dubbo", "/registry", "/txc")) {
        walk(zk, root, visited, open);
      }
      assertThat(zk.getACL().forPath("/")).isEqualTo(credential.acl());
    }
    assertThat(visited)
        .anyMatch(p -> p.startsWith("/txc/subscriptions/accompaniment/"))
        .anyMatch(p -> p.startsWith("/txc/relay/mall/leader/"))
        .anyMatch(p -> p.contains("MallService/providers/"));
    // Seata 2.0.0's zkclient creates the TC's ephemeral node with OPEN_ACL_UNSAFE (docs)
    assertThat(open).containsExactly("/registry/zk/default/127.0.0.1:" + config.tcPort());
  }

  @Test
  void fourLetterWordsListingClients_areNotAnswered_ruokIs() throws Exception {
    for (String word : List.of("stat", "cons", "mntr", "dump", "envi")) {
      assertThat(fourLetterWord(word)).as(word).contains("not in the whitelist");
    }
    assertThat(fourLetterWord("ruok")).isEqualTo("imok");
  }

  private static void walk(
      CuratorFramework zk, String path, List<String> visited, List<String> open) throws Exception {
    List<ACL> acl;
    List<String> children;
    try {
      acl = zk.getACL().forPath(path);
      children = zk.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return; // an ephemeral node whose session ended meanwhile
    }
    visited.add(path);
    if (acl.stream().anyMatch(a -> a.getId().equals(ZooDefs.Ids.ANYONE_ID_UNSAFE))) {
      open.add(path);
    } else {
      assertThat(acl).as(path).isEqualTo(expectedAcl(path));
    }
    for (String child : children) {
      walk(zk, path + "/" + child, visited, open);
    }
  }

  /**
   * The cluster's digest identity; under {@code /registry} (Seata's, where the TC registers) also
   * its SASL identity, which the TC logs in with on every ZooKeeper handle.
   */
  private static List<ACL> expectedAcl(String path) {
    if (!path.equals("/registry") && !path.startsWith("/registry/")) {
      return credential.acl();
    }
    List<ACL> acl = new ArrayList<>(credential.acl());
    acl.add(
        new ACL(
            ZooDefs.Perms.ALL,
            new Id(
                "sasl", ZooKeeperJaas.saslUser(credential.user() + ":" + credential.password()))));
    return acl;
  }

  /** Tries to create {@code path} in a fresh session; returns the code it was refused with. */
  private static KeeperException.Code forge(String madeUpCredential, String path) throws Exception {
    ZooKeeper zk = new ZooKeeper(config.zkAddress(), 10_000, event -> {});
    try {
      if (madeUpCredential != null) {
        zk.addAuthInfo("digest", madeUpCredential.getBytes(StandardCharsets.UTF_8));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> zk.getState() == ZooKeeper.States.CONNECTED || !zk.getState().isAlive());
      zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      throw new AssertionError("created " + path);
    } catch (KeeperException e) {
      return e.code();
    } finally {
      zk.close();
    }
  }

  private static void assertNothingForged() throws Exception {
    try (CuratorFramework zk = ZooKeeperClient.connect(config.zkAddress(), credential, 10_000)) {
      for (String path : FORGERIES) {
        assertThat(zk.checkExists().forPath(path)).as(path).isNull();
      }
    }
  }

  private static String fourLetterWord(String word) throws Exception {
    String[] hostPort = config.zkAddress().split(",")[0].split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
  }
}
