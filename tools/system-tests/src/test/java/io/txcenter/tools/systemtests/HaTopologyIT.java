package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.testkit.TestDatabase;
import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HA topology ({@code up --ha}): a three-member ZooKeeper ensemble and two TC nodes in db mode.
 * Killing one TC node and one ZooKeeper member under orders costs at most a few refusals ({@code
 * SERVICE_UNAVAILABLE}, nothing changed) and leaves every invariant intact.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HaTopologyIT {

  private static TopologyConfig config;
  private static Topology topology;
  private static Clients clients;

  @BeforeAll
  static void startHaTopology() {
    TestDatabase db = TestDatabase.get();
    Path home = Path.of(System.getProperty("txc.home", "..")).toAbsolutePath().normalize();
    String id = UUID.randomUUID().toString().substring(0, 6);
    config =
        new TopologyConfig(
            home,
            Path.of("target", "it-ha-" + id).toAbsolutePath(),
            false,
            db.serverUrl(),
            db.user(),
            db.password(),
            "ha" + id + "_",
            ItPorts.free(home, 2, true),
            List.of("ch-a", "ch-b"),
            true,
            "db",
            "txc-admin",
            "ha-" + UUID.randomUUID(),
            String.join(",", java.util.Collections.nCopies(16, "150ms")),
            "",
            0,
            true,
            true);
    topology = new Topology(config);
    try {
      topology.up(System.out);
    } catch (RuntimeException e) {
      topology.down(System.out);
      throw e;
    }
    clients = new Clients(config);
    clients.portal().grant("ch-a", 1_000_000, "test HaTopologyIT");
  }

  @AfterAll
  static void stopHaTopology() {
    if (clients != null) {
      clients.close();
    }
    if (topology != null) {
      topology.down(System.out);
      TestDatabase db = TestDatabase.get();
      config.schemas().forEach(db::dropSchema);
    }
  }

  /** Before any kill: the ensemble's peer and election ports too are on loopback only. */
  @Test
  @org.junit.jupiter.api.Order(1)
  void everyListener_ensemblePortsIncluded_isOnLoopback() {
    var listeners = ListenersIT.assertLoopbackOnly(topology);

    java.util.Set<Integer> ensemble = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      var ports = listeners.get("zk-" + (i + 1)).stream().map(l -> l.port()).toList();
      assertThat(ports).contains(config.zkPort() + i, config.zkPort() + 6 + i); // client, election
      ensemble.addAll(ports);
    }
    // the leader's peer (quorum) port
    assertThat(ensemble)
        .containsAnyOf(config.zkPort() + 3, config.zkPort() + 4, config.zkPort() + 5);
    for (int i = 0; i < 2; i++) {
      var ports = listeners.get("tc-" + (i + 1)).stream().map(l -> l.port()).toList();
      assertThat(ports).contains(config.tcPort() + i, config.consolePort() + i);
    }
  }

  @Test
  void givenATcNodeAndAZooKeeperMemberKilled_ordersGoOn_andNoInvariantBreaks() throws Exception {
    long user = 7_000_000 + System.currentTimeMillis() % 100_000;
    clients.points("ch-a").grant("ch-a", user, 1_000_000, "test HaTopologyIT");
    for (int i = 0; i < 5; i++) {
      assertThat(place(user).status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    for (String victim : List.of("tc-1", "zk-2")) {
      kill(victim);
    }

    // until the killed TC's ZooKeeper node expires, clients may still pick it: orders are then
    // refused SERVICE_UNAVAILABLE; the window is over once 10 orders in a row commit
    List<MallErrorCode> refusals = new ArrayList<>();
    int[] streak = {0};
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                streak[0] = place(user).status() == OrderStatus.CONFIRMED ? streak[0] + 1 : 0;
              } catch (MallException e) {
                refusals.add(e.code());
                streak[0] = 0;
              }
              return streak[0] >= 10;
            });

    assertThat(refusals).allMatch(code -> code == MallErrorCode.SERVICE_UNAVAILABLE);
    // the audit also requires the TC's global_table to be empty: finished sessions must leave it
    // within the quiescence bound (txc.tc.retry-dead-threshold.ms), not after Seata's 130 s
    Audit.Result audit = new Audit(config).run(Duration.ofSeconds(90), System.out);
    assertThat(audit.violations()).isEmpty();
    assertThat(audit.stuck()).isEmpty();
    System.out.printf("ha: %d refusals during fail-over, %s%n", refusals.size(), audit.line());
    topology.restart("tc-1", System.out);
    topology.restart("zk-2", System.out);
  }

  /**
   * Regression (chaos run): a provider restarted at the same address stayed unreachable to its
   * consumers for up to a minute, until Dubbo's reconnect tick (the 60 s default heartbeat).
   */
  @Test
  void givenAPointsServiceKilledAndRestarted_theMallReachesItAgainWithinSeconds() throws Exception {
    long user = 7_100_000 + System.currentTimeMillis() % 100_000;
    clients.points("ch-a").grant("ch-a", user, 1_000_000, "test HaTopologyIT");
    assertThat(place(user).status()).isEqualTo(OrderStatus.CONFIRMED);

    kill("points-ch-a");
    topology.restart("points-ch-a", System.out);

    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> place(user).status() == OrderStatus.CONFIRMED);
  }

  /**
   * A points service killed inside Confirm ({@code KillWindowHook}, window {@code confirm}): the TC
   * retries the Confirm once it is back, and the points are spent exactly once.
   */
  @Test
  void givenAPointsServiceKilledInsideConfirm_theTcConfirmsAfterItsRestart_once() throws Exception {
    long user = 7_200_000 + System.currentTimeMillis() % 100_000;
    clients.points("ch-a").grant("ch-a", user, 1_000, "test HaTopologyIT");
    Path arm = config.chaosDir().resolve("arm").resolve("points-ch-a");
    Path hit = config.chaosDir().resolve("hit").resolve("points-ch-a");
    java.nio.file.Files.createDirectories(arm.getParent());
    java.nio.file.Files.deleteIfExists(hit);
    java.nio.file.Files.writeString(arm, "confirm");

    String orderNo = "ha-confirm-" + UUID.randomUUID().toString().substring(0, 8);
    // the caller may time out: the TC's commit waits on the Confirm that the kill cut off
    java.util.concurrent.CompletableFuture.runAsync(() -> place(orderNo, user));
    await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.exists(hit));
    assertThat(java.nio.file.Files.readString(hit))
        .contains("window=confirm", "action=pointsFreeze");
    kill("points-ch-a");
    topology.restart("points-ch-a", System.out);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> clients.mall().order(orderNo).status() == OrderStatus.CONFIRMED);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> clients.points("ch-a").balance("ch-a", user).spent() == 2);
    io.txcenter.points.api.PointsBalance balance = clients.points("ch-a").balance("ch-a", user);
    assertThat(List.of(balance.available(), balance.frozen(), balance.spent()))
        .isEqualTo(List.of(998L, 0L, 2L));
  }

  private static void kill(String name) throws Exception {
    ProcessHandle process = topology.running(name).orElseThrow();
    process.destroyForcibly();
    process.onExit().get();
  }

  private static OrderResult place(long user) {
    return place("ha-" + UUID.randomUUID().toString().substring(0, 12), user);
  }

  private static OrderResult place(String orderNo, long user) {
    return clients
        .mall()
        .placeOrder(new PlaceOrderRequest(orderNo, user, List.of(new OrderLine("ch-a", 2))));
  }
}
