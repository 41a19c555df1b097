package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.outbox.DeadLetters;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.tools.cli.DlqCommand;
import io.txcenter.tools.cli.FanOutView;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The mall's outbox and the accompaniment fan-out over the real topology: relays, five subscribers,
 * the TC and ZooKeeper. The topology's retry ladder is 16 × 150 ms and the customer-service
 * subscriber fails the first two attempts of every message.
 */
@ExtendWith(SharedTopology.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxIT {

  private static final String A = SharedTopology.A;
  private static final String B = SharedTopology.B;
  private static final AtomicLong USERS =
      new AtomicLong(500_000 + System.currentTimeMillis() % 100_000);
  private static final Map<String, Set<String>> EXPECTED =
      Map.of(
          "ops", Set.of("ORDER_PLACED"),
          "cs", Set.of("ORDER_PLACED"),
          "orch", Set.of("POINTS_SPENT"),
          "compliance", Set.of("ORDER_PLACED", "POINTS_SPENT"),
          "datacenter", Set.of("ORDER_PLACED", "POINTS_SPENT"));

  private static TopologyConfig config;
  private static Clients clients;
  private static JdbcTemplate jdbc;
  private static String mall;
  private static OrderResult firstOrder;

  @BeforeAll
  static void useSharedTopology() {
    config = SharedTopology.get().config();
    clients = SharedTopology.get().clients();
    jdbc = config.serverJdbc();
    mall = config.schema("mall");
  }

  @Test
  @Order(1)
  void committedOrder_reachesEachSubscriberWithExactlyItsTags() {
    firstOrder = place(order(newUser(), new OrderLine(A, 10), new OrderLine(B, 5)));
    assertThat(firstOrder.status()).isEqualTo(OrderStatus.CONFIRMED);

    awaitSettled(firstOrder.orderNo());

    for (Map.Entry<String, Set<String>> group : EXPECTED.entrySet()) {
      assertThat(SharedTopology.eventsApplied(group.getKey(), firstOrder.orderNo()))
          .as("events applied by %s", group.getKey())
          .containsExactlyInAnyOrderElementsOf(group.getValue());
    }
  }

  @Test
  @Order(2)
  void flakySubscriber_isRetriedOnTheLadder_andAppliesOnce() {
    Map<String, Object> delivery =
        jdbc.queryForMap(
            "SELECT d.status, d.attempts FROM "
                + mall
                + ".outbox_delivery d JOIN "
                + mall
                + ".outbox_message m ON m.id = d.message_pk"
                + " WHERE m.business_key = ? AND d.consumer_group = 'cs'",
            firstOrder.orderNo());

    assertThat(delivery.get("status")).isEqualTo("DELIVERED");
    assertThat(((Number) delivery.get("attempts")).intValue())
        .isEqualTo(SharedTopology.CS_FAILS + 1);
    assertThat(SharedTopology.eventsApplied("cs", firstOrder.orderNo())).hasSize(1);
  }

  @Test
  @Order(3)
  void rolledBackOrder_discardsItsMessages_andDeliversNothing() {
    ChannelQuota quota = clients.portal().quota(B);
    OrderResult result =
        place(order(newUser(), new OrderLine(A, 10), new OrderLine(B, quota.available() + 1)));

    assertThat(result.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(
            jdbc.queryForList(
                "SELECT status FROM " + mall + ".outbox_message WHERE business_key = ?",
                String.class,
                result.orderNo()))
        .containsExactly("DISCARDED", "DISCARDED");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> deliveriesOf(result.orderNo()) == 0 && appliedAnywhere(result.orderNo()) == 0);
  }

  @Test
  @Order(4)
  void duplicateDelivery_isAcknowledged_withOneEffect() {
    Map<String, Object> message =
        jdbc.queryForMap(
            "SELECT message_id, topic, tags, business_key, payload FROM "
                + mall
                + ".outbox_message WHERE business_key = ? AND tags = 'OPS,CS'",
            firstOrder.orderNo());
    EventMessage again =
        new EventMessage(
            (String) message.get("message_id"),
            (String) message.get("topic"),
            (String) message.get("tags"),
            (String) message.get("business_key"),
            (String) message.get("payload"),
            Map.of(),
            System.currentTimeMillis(),
            9);

    // only the relay may deliver (RpcAuthIT: the operator's consume is refused)
    EventConsumer ops = ActAs.identity("relay").reference(EventConsumer.class, "ops");
    ops.consume(again);
    ops.consume(again);

    assertThat(SharedTopology.eventsApplied("ops", firstOrder.orderNo()))
        .containsExactly("ORDER_PLACED");
  }

  @Test
  @Order(5)
  void poisonedEvent_isDeadLetteredAndAlerted_thenAppliedOnceAfterTheFixAndARedrive()
      throws Exception {
    String orderNo = "it-poison-" + UUID.randomUUID().toString().substring(0, 8);
    String orch = config.schemaOfSubscriber("orch");
    jdbc.update("INSERT INTO " + orch + ".blocked_key VALUES (?, 'test poison')", orderNo);
    long deadBefore = counter("dead");

    OrderResult result =
        place(new PlaceOrderRequest(orderNo, newUser(), List.of(new OrderLine(A, 7))));
    assertThat(result.status()).isEqualTo(OrderStatus.CONFIRMED);
    awaitSettled(orderNo);

    DeadLetters dlq = DlqCommand.deadLetters(config);
    List<Map<String, Object>> open =
        dlq.open().stream().filter(r -> orderNo.equals(r.get("business_key"))).toList();
    assertThat(open).hasSize(1);
    assertThat(open.get(0).get("consumer_group")).isEqualTo("orch");
    assertThat(((Number) open.get(0).get("attempts")).intValue()).isEqualTo(17);
    assertThat(counter("dead")).isEqualTo(deadBefore + 1);
    String messageId = (String) open.get(0).get("message_id");
    assertThat(relayLogs()).contains("ALERT outbox delivery dead-lettered message=" + messageId);
    assertThat(SharedTopology.eventsApplied("orch", orderNo)).isEmpty();
    assertThat(SharedTopology.eventsApplied("datacenter", orderNo)).hasSize(2);

    jdbc.update("DELETE FROM " + orch + ".blocked_key WHERE business_key = ?", orderNo);
    assertThat(dlq.redrive(((Number) open.get(0).get("id")).longValue())).isTrue();
    awaitSettled(orderNo);

    assertThat(SharedTopology.eventsApplied("orch", orderNo)).containsExactly("POINTS_SPENT");
    assertThat(dlq.open()).noneMatch(r -> orderNo.equals(r.get("business_key")));
  }

  @Test
  @Order(6)
  void checkBack_resolvesPreparedBranches_byTheCoordinatorAndTheBusinessCheck() throws Exception {
    SharedTopology.seataClient();
    GlobalTransaction open = GlobalTransactionContext.createNew();
    open.begin(120_000, "checkBackProbe");
    String openXid = open.getXid();
    try {
      String unknownXid = "127.0.0.1:" + config.tcPort() + ":" + System.nanoTime();
      long lostBranch = System.nanoTime();
      // a PREPARED branch per case, back-dated past the 6 s immunity
      preparedRow(openXid, 1, "it-cb-open-" + UUID.randomUUID().toString().substring(0, 8));
      preparedRow(
          unknownXid, lostBranch, "it-cb-lost-" + UUID.randomUUID().toString().substring(0, 8));
      preparedRow(firstOrder.xid(), 77, firstOrder.orderNo());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  statusOf(unknownXid).equals(Set.of("DISCARDED"))
                      && statusOf(firstOrder.xid() + "#77").equals(Set.of("READY")));
      // the coordinator still runs the open transaction: its branch must wait
      assertThat(statusOf(openXid)).containsExactly("PREPARED");
      // the marker: a late Try of the discarded branch is refused by the fence
      assertThatThrownBy(
              () ->
                  jdbc.update(
                      "INSERT INTO "
                          + mall
                          + ".tcc_fence_log (xid, branch_id, action_name, status, gmt_create,"
                          + " gmt_modified) VALUES (?, ?, 'outboxAppend', 1, NOW(3), NOW(3))",
                      unknownXid,
                      lostBranch))
          .isInstanceOf(DuplicateKeyException.class);
      assertThat(
              jdbc.queryForList(
                  "SELECT resolved_by FROM " + mall + ".outbox_message WHERE xid = ?",
                  String.class,
                  unknownXid))
          .containsExactly("CHECKBACK");
      assertThat(counter("checkback_business_discarded")).isPositive();
      assertThat(counter("checkback_business_ready")).isPositive();
    } finally {
      open.rollback();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statusOf(openXid).equals(Set.of("DISCARDED")));
  }

  @Test
  @Order(7)
  void steadyLoad_isDeliveredToEveryGroup_andLatencyIsReported() {
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      orders.add(place(order(newUser(), new OrderLine(A, 3))).orderNo());
    }
    orders.forEach(OutboxIT::awaitSettled);

    for (String orderNo : orders) {
      for (Map.Entry<String, Set<String>> group : EXPECTED.entrySet()) {
        assertThat(SharedTopology.eventsApplied(group.getKey(), orderNo))
            .containsExactlyInAnyOrderElementsOf(group.getValue());
      }
    }
    List<Long> latencies = new ArrayList<>();
    for (String group : List.of("ops", "orch", "compliance", "datacenter")) {
      for (String orderNo : orders) {
        latencies.addAll(
            jdbc.queryForList(
                "SELECT TIMESTAMPDIFF(MICROSECOND, ready_at, applied_at) DIV 1000 FROM "
                    + config.schemaOfSubscriber(group)
                    + ".accompaniment_event WHERE business_key = ?",
                Long.class,
                orderNo));
      }
    }
    Collections.sort(latencies);
    System.out.printf(
        "outbox commit-to-applied latency (first-attempt groups, %d applications): p50=%d ms"
            + " p99=%d ms max=%d ms%n",
        latencies.size(),
        FanOutView.percentile(latencies, 50),
        FanOutView.percentile(latencies, 99),
        latencies.get(latencies.size() - 1));
    assertThat(latencies).hasSize(30 * 6);
  }

  @Test
  @Order(8)
  void killingTheRelayLeader_handsOverWithinFiveSeconds_andLosesNothing() throws Exception {
    try (CuratorFramework zk =
        ZooKeeperClient.connect(
            config.zkAddress(), ClusterSecrets.zooKeeperCredential(config.runDir()), 10_000)) {
      String leader = leader(zk);
      ProcessHandle leaderProcess = SharedTopology.get().topology().running(leader).orElseThrow();
      List<String> orders = Collections.synchronizedList(new ArrayList<>());
      Thread load =
          new Thread(
              () -> {
                for (int i = 0; i < 20; i++) {
                  orders.add(place(order(newUser(), new OrderLine(B, 2))).orderNo());
                }
              });
      load.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> orders.size() >= 3);

      long killedAt = System.nanoTime();
      leaderProcess.destroyForcibly();
      await()
          .pollInterval(Duration.ofMillis(20))
          .atMost(Duration.ofSeconds(15))
          .until(() -> !leader.equals(leaderOrNull(zk)) && leaderOrNull(zk) != null);
      double handOverSeconds = (System.nanoTime() - killedAt) / 1e9;
      System.out.printf(
          "relay fail-over: %s killed, %s leader after %.2f s%n",
          leader, leader(zk), handOverSeconds);
      load.join(60_000);

      for (String orderNo : List.copyOf(orders)) {
        awaitSettled(orderNo);
        for (Map.Entry<String, Set<String>> group : EXPECTED.entrySet()) {
          assertThat(SharedTopology.eventsApplied(group.getKey(), orderNo))
              .as("group %s order %s", group.getKey(), orderNo)
              .containsExactlyInAnyOrderElementsOf(group.getValue());
        }
      }
      assertThat(orders).hasSize(20);
      assertThat(handOverSeconds).isLessThan(5.0);
    } finally {
      SharedTopology.get().topology().up(System.out); // restart the killed relay
    }
  }

  private static String leader(CuratorFramework zk) throws Exception {
    String leader = leaderOrNull(zk);
    assertThat(leader).isNotNull();
    return leader;
  }

  /** The id of the lowest-sequence LeaderLatch node: the current leader. */
  private static String leaderOrNull(CuratorFramework zk) throws Exception {
    String path = "/txc/relay/mall/leader";
    List<String> children = new ArrayList<>(zk.getChildren().forPath(path));
    children.sort(Comparator.comparing(c -> c.substring(c.lastIndexOf('-') + 1)));
    for (String child : children) {
      try {
        return new String(zk.getData().forPath(path + "/" + child), StandardCharsets.UTF_8);
      } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
        // the node of a dead session vanished while reading: try the next one
      }
    }
    return null;
  }

  private static void preparedRow(String xid, long branchId, String businessKey) {
    jdbc.update(
        "INSERT INTO "
            + mall
            + ".outbox_message (message_id, xid, branch_id, topic, tags, business_key, payload,"
            + " headers, status, created_at) VALUES (?, ?, ?, 'accompaniment', 'OPS', ?,"
            + " '{\"event\":\"CHECKBACK_PROBE\"}', '{}', 'PREPARED', UTC_TIMESTAMP(3) - INTERVAL 10 SECOND)",
        UUID.randomUUID().toString(),
        xid,
        branchId,
        businessKey);
  }

  /** Statuses of a branch's messages; {@code xid#branch} selects one branch. */
  private static Set<String> statusOf(String xidAndMaybeBranch) {
    String[] parts = xidAndMaybeBranch.split("#");
    List<String> statuses =
        parts.length == 2
            ? jdbc.queryForList(
                "SELECT status FROM " + mall + ".outbox_message WHERE xid = ? AND branch_id = ?",
                String.class,
                parts[0],
                Long.parseLong(parts[1]))
            : jdbc.queryForList(
                "SELECT status FROM " + mall + ".outbox_message WHERE xid = ?",
                String.class,
                parts[0]);
    return new TreeSet<>(statuses);
  }

  private static long counter(String name) {
    List<Long> values =
        jdbc.queryForList(
            "SELECT value FROM " + mall + ".outbox_counter WHERE name = ?", Long.class, name);
    return values.isEmpty() ? 0 : values.get(0);
  }

  private static String relayLogs() throws Exception {
    StringBuilder logs = new StringBuilder();
    for (String relay : TopologyConfig.RELAYS) {
      logs.append(
          Files.readString(SharedTopology.get().topology().logFile(relay), StandardCharsets.UTF_8));
    }
    return logs.toString();
  }

  private static void awaitSettled(String businessKey) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count(
                            "SELECT COUNT(*) FROM "
                                + mall
                                + ".outbox_message WHERE business_key = ? AND (status = 'PREPARED' OR"
                                + " (status = 'READY' AND fanned_out = 0))",
                            businessKey)
                        + count(
                            "SELECT COUNT(*) FROM "
                                + mall
                                + ".outbox_delivery WHERE business_key = ? AND status = 'PENDING'",
                            businessKey)
                    == 0);
  }

  private static long deliveriesOf(String businessKey) {
    return count(
        "SELECT COUNT(*) FROM " + mall + ".outbox_delivery WHERE business_key = ?", businessKey);
  }

  private static long appliedAnywhere(String businessKey) {
    long n = 0;
    for (String group : TopologyConfig.SUBSCRIBERS.keySet()) {
      n += SharedTopology.eventsApplied(group, businessKey).size();
    }
    return n;
  }

  private static long count(String sql, Object... args) {
    Long n = jdbc.queryForObject(sql, Long.class, args);
    return n == null ? 0 : n;
  }

  private static OrderResult place(PlaceOrderRequest request) {
    return clients.mall().placeOrder(request);
  }

  private static long newUser() {
    long user = USERS.incrementAndGet();
    clients.points(A).grant(A, user, 10_000, "test OutboxIT");
    clients.points(B).grant(B, user, 10_000, "test OutboxIT");
    return user;
  }

  private static PlaceOrderRequest order(long user, OrderLine... lines) {
    return new PlaceOrderRequest(
        "it-" + UUID.randomUUID().toString().substring(0, 12), user, List.of(lines));
  }
}
