package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.ZooKeeperCredential;
import io.txcenter.testkit.TestDatabase;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TC re-registers in the authenticated ZooKeeper after its session expired (a regression of the
 * registry's authentication: zkclient 0.11 re-adds no digest auth on the new handle it opens after
 * an expiry, so the server closed that session and the TC stayed unregistered until restarted; it
 * now logs in through SASL, which ZooKeeper's client repeats on every handle).
 *
 * <p>The expiry is made as a TC paused longer than its 6 s session would have it (SIGSTOP, then
 * SIGCONT once the server has expired the session and deleted the TC's node). A ZooKeeper restart
 * would not do: a standalone server restores its sessions from its data directory, with a fresh
 * timeout.
 */
class TcSessionExpiryIT {

  private static TopologyConfig config;
  private static Topology topology;

  @BeforeAll
  static void start() {
    TestDatabase db = TestDatabase.get();
    Path home = Path.of(System.getProperty("txc.home", "..")).toAbsolutePath().normalize();
    String id = UUID.randomUUID().toString().substring(0, 6);
    config =
        new TopologyConfig(
            home,
            Path.of("target", "it-run-expiry-" + id).toAbsolutePath(),
            false,
            db.serverUrl(),
            db.user(),
            db.password(),
            "it" + id + "_",
            ItPorts.free(home, 1, false),
            List.of("ch-a"),
            false,
            "file",
            "txc-admin",
            "it-" + UUID.randomUUID(),
            SharedTopology.LADDER,
            "cs",
            0,
            false,
            false);
    topology = new Topology(config, name -> name.equals("zk") || name.equals("tc"));
    try {
      topology.up(System.out);
    } catch (RuntimeException e) {
      topology.down(System.out);
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    if (topology != null) {
      topology.down(System.out);
    }
  }

  @Test
  void givenTheTcsSessionExpired_theTcRegistersItsNodeAgain() throws Exception {
    ZooKeeperCredential credential = ClusterSecrets.zooKeeperCredential(config.runDir());
    String node = "/registry/zk/default/127.0.0.1:" + config.tcPort();
    ProcessHandle tc = topology.running("tc").orElseThrow();
    try (CuratorFramework zk = ZooKeeperClient.connect(config.zkAddress(), credential, 10_000)) {
      Stat registered = awaitNode(zk, node, Duration.ofSeconds(30));
      long firstSession = registered.getEphemeralOwner();

      signal("STOP", tc);
      try {
        // the server expires the paused TC's 6 s session and deletes its ephemeral node
        await()
            .pollInterval(Duration.ofMillis(200))
            .atMost(Duration.ofSeconds(30))
            .until(() -> zk.checkExists().forPath(node) == null);
      } finally {
        signal("CONT", tc);
      }

      // the TC learns of the expiry on reconnecting, opens a new handle and registers again
      Stat again = awaitNode(zk, node, Duration.ofSeconds(45));
      assertThat(again.getEphemeralOwner()).isNotEqualTo(firstSession).isNotZero();
      assertThat(tc.isAlive()).isTrue();
    }
  }

  private static Stat awaitNode(CuratorFramework zk, String node, Duration within) {
    return await()
        .pollInterval(Duration.ofMillis(200))
        .atMost(within)
        .until(() -> zk.checkExists().forPath(node), stat -> stat != null);
  }

  private static void signal(String signal, ProcessHandle process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
  }
}
