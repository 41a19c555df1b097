package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.bench.api.AtOrderService;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.testkit.TestDatabase;
import io.txcenter.tools.bench.BenchCommand;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bench's topology (only the processes a mall order involves) on free ports: the bench plugins
 * the launcher puts on the mall's, the portal's and the points processes' class paths export the
 * benchmark-only services, and each arm places an order through them; the AT arm's orders are real
 * Seata AT global transactions on the topology's TC.
 */
class BenchTopologyIT {

  private static final String A = "ch-a";
  private static final String B = "ch-b";
  private static final long USER = 7;

  private static TopologyConfig config;
  private static Topology topology;
  private static Clients clients;

  @BeforeAll
  static void startBenchTopology() {
    TestDatabase db = TestDatabase.get();
    Path home = Path.of(System.getProperty("txc.home", "..")).toAbsolutePath().normalize();
    String id = UUID.randomUUID().toString().substring(0, 6);
    config =
        new TopologyConfig(
            home,
            Path.of("target", "it-bench-" + id).toAbsolutePath(),
            false,
            db.serverUrl(),
            db.user(),
            db.password(),
            "bn" + id + "_",
            ItPorts.free(home, 2, false),
            List.of(A, B),
            false,
            "file",
            "txc-admin",
            "bench-" + UUID.randomUUID(),
            String.join(",", java.util.Collections.nCopies(16, "150ms")),
            "",
            0,
            false,
            false);
    topology = Topology.forBench(config, BenchCommand::involved);
    try {
      topology.up(System.out);
    } catch (RuntimeException e) {
      topology.down(System.out);
      throw e;
    }
    clients = new Clients(config);
  }

  @AfterAll
  static void stopBenchTopology() {
    if (clients != null) {
      clients.close();
    }
    if (topology != null) {
      topology.down(System.out);
      config.schemas().forEach(TestDatabase.get()::dropSchema);
    }
  }

  @Test
  void everyArmPlacesAnOrder_throughTheBenchPlugins() {
    for (String channel : List.of(A, B)) {
      clients.portal().grant(channel, 1_000, "test BenchTopologyIT");
      clients.points(channel).grant(channel, USER, 1_000, "test BenchTopologyIT");
    }
    clients
        .reference(io.txcenter.bench.api.OrderBenchService.class, null)
        .seedMonolith(List.of(A, B), USER, 1, 1_000, 1_000);
    List<OrderLine> lines = List.of(new OrderLine(A, 5), new OrderLine(B, 3));

    assertThat(
            clients
                .reference(io.txcenter.bench.api.OrderBenchService.class, null)
                .placePlain(new PlaceOrderRequest("O-plain-1", USER, lines))
                .status())
        .isEqualTo(OrderStatus.CONFIRMED);
    assertThat(
            clients
                .reference(io.txcenter.bench.api.OrderBenchService.class, null)
                .placeMonolith(new PlaceOrderRequest("O-mono-1", USER, lines))
                .status())
        .isEqualTo(OrderStatus.CONFIRMED);
    assertThat(
            clients
                .reference(io.txcenter.bench.api.OrderBenchService.class, null)
                .placeWithBranches("O-branches-1", USER, A, 3))
        .isEqualTo(OrderStatus.CONFIRMED);

    // plain spent 5 and 3, the three branches 1 each in ch-a: the direct services of the plugins
    assertThat(clients.points(A).balance(A, USER).spent()).isEqualTo(8);
    assertThat(clients.points(B).balance(B, USER).spent()).isEqualTo(3);
  }

  @Test
  void atArm_commitsThroughTheTc_andARefusalAfterTheSpendsIsUndoneByTheTc() {
    long user = 8;
    JdbcTemplate jdbc = config.serverJdbc();
    List<String> schemas =
        List.of(
            config.schema("mall"),
            config.schemaOfChannel(A),
            config.schemaOfChannel(B),
            config.schema("portal"));
    for (String channel : List.of(A, B)) {
      clients.portal().grant(channel, 1_000, "test BenchTopologyIT at");
    }
    long quotaA = quotaAvailable(jdbc, A);
    // more points than ch-a has quota left: the spend passes, the quota use after it is refused
    clients.points(A).grant(A, user, quotaA + 1_000, "test BenchTopologyIT at");
    clients.points(B).grant(B, user, 1_000, "test BenchTopologyIT at");
    AtOrderService at = clients.reference(AtOrderService.class, null);

    OrderResult placed =
        at.placeAt(
            new PlaceOrderRequest(
                "O-at-1", user, List.of(new OrderLine(A, 5), new OrderLine(B, 3))));

    assertThat(placed.status()).isEqualTo(OrderStatus.CONFIRMED);
    String xid = placed.xid();
    assertThat(xid).as("a Seata XID").doesNotStartWith("direct:").contains(":");
    // the branches' undo images, read at once: Seata deletes them only after the TC's asynchronous
    // commit (a 1 s tick) and the RM's batch (another 1 s tick)
    assertThat(schemas.stream().mapToLong(s -> undoRows(jdbc, s, xid)).sum())
        .as("undo_log rows of %s", xid)
        .isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(schemas)
                    .allSatisfy(s -> assertThat(undoRows(jdbc, s, xid)).as(s).isZero()));
    assertThat(
            jdbc.queryForObject(
                "SELECT path FROM " + config.schema("mall") + ".bench_order WHERE order_no = ?",
                String.class,
                "O-at-1"))
        .isEqualTo("AT");
    assertThat(clients.points(A).balance(A, user).spent()).isEqualTo(5);
    assertThat(clients.points(B).balance(B, user).spent()).isEqualTo(3);
    assertThat(orderRows(jdbc, "O-at-1")).containsExactly(1L, 2L, 1L, 2L, 1L, 1L, 2L);

    Timestamp touched = updatedAt(jdbc, A, user);
    long quotaAfter = quotaAvailable(jdbc, A);
    assertThatThrownBy(
            () ->
                at.placeAt(
                    new PlaceOrderRequest(
                        "O-at-2",
                        user,
                        List.of(new OrderLine(A, quotaAfter + 1), new OrderLine(B, 3)))))
        .isInstanceOfSatisfying(
            MallException.class,
            e -> assertThat(e.code()).isEqualTo(MallErrorCode.QUOTA_EXHAUSTED));

    // the mall's order and both spends were committed locally before the portal refused: the TC
    // had them undone, and nothing of the order is left
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(orderRows(jdbc, "O-at-2")).containsOnly(0L);
              assertThat(clients.points(A).balance(A, user).spent()).isEqualTo(5);
              assertThat(clients.points(B).balance(B, user).spent()).isEqualTo(3);
              assertThat(quotaAvailable(jdbc, A)).isEqualTo(quotaAfter);
              assertThat(schemas)
                  .allSatisfy(
                      s ->
                          assertThat(
                                  jdbc.queryForObject(
                                      "SELECT COUNT(*) FROM " + s + ".undo_log", Long.class))
                              .as(s)
                              .isZero());
            });
    // the ch-a row was written back from the spend's before image, updated_at included: Seata binds
    // it with setObject(value, TIMESTAMP), which Connector/J sends without its fraction of a
    // second (a row never spent would keep its milliseconds)
    Timestamp toTheSecond = new Timestamp(touched.getTime());
    toTheSecond.setNanos(0);
    assertThat(updatedAt(jdbc, A, user)).isEqualTo(toTheSecond);
    // the AT data sources and their RM open no listener
    ListenersIT.assertLoopbackOnly(topology);
  }

  private static long undoRows(JdbcTemplate jdbc, String schema, String xid) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM " + schema + ".undo_log WHERE xid = ?", Long.class, xid);
  }

  private static long quotaAvailable(JdbcTemplate jdbc, String channel) {
    return jdbc.queryForObject(
        "SELECT available FROM " + config.schema("portal") + ".channel_quota WHERE channel_id = ?",
        Long.class,
        channel);
  }

  private static Timestamp updatedAt(JdbcTemplate jdbc, String channel, long user) {
    return jdbc.queryForObject(
        "SELECT updated_at FROM "
            + config.schemaOfChannel(channel)
            + ".user_points WHERE channel_id = ? AND user_id = ?",
        Timestamp.class,
        channel,
        user);
  }

  /**
   * An order's rows: [mall_order, order_line, bench_order, outbox messages, ch-a spends, ch-b
   * spends, quota uses].
   */
  private static List<Long> orderRows(JdbcTemplate jdbc, String orderNo) {
    String mall = config.schema("mall");
    return List.of(
        count(jdbc, mall + ".mall_order", orderNo),
        count(jdbc, mall + ".order_line", orderNo),
        count(jdbc, mall + ".bench_order", orderNo),
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM " + mall + ".outbox_message WHERE business_key = ?",
            Long.class,
            orderNo),
        count(jdbc, config.schemaOfChannel(A) + ".points_freeze", orderNo),
        count(jdbc, config.schemaOfChannel(B) + ".points_freeze", orderNo),
        count(jdbc, config.schema("portal") + ".quota_freeze", orderNo));
  }

  private static long count(JdbcTemplate jdbc, String table, String orderNo) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM " + table + " WHERE order_no = ?", Long.class, orderNo);
  }
}
