package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.tools.cli.TxCommand;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bin/txc tx show|list} on the running topology: a committed order's timeline holds its four
 * branches' fence rows settled, its business rows and its outbox deliveries, and nothing pending
 * once delivered; an XID nobody knows shows nothing; bad input is refused before any query.
 */
@ExtendWith(SharedTopology.class)
class TxCommandIT {

  @Test
  void aCommittedOrdersTimeline_joinsFenceRowsBusinessRowsAndDeliveries_onTheXid()
      throws Exception {
    Clients clients = SharedTopology.get().clients();
    long user = 950_000 + System.currentTimeMillis() % 40_000;
    clients.points(SharedTopology.A).grant(SharedTopology.A, user, 1_000, "test TxCommandIT");
    clients.points(SharedTopology.B).grant(SharedTopology.B, user, 1_000, "test TxCommandIT");
    String orderNo = "tx-" + UUID.randomUUID().toString().substring(0, 12);
    OrderResult order =
        clients
            .mall()
            .placeOrder(
                new PlaceOrderRequest(
                    orderNo,
                    user,
                    List.of(
                        new OrderLine(SharedTopology.A, 3), new OrderLine(SharedTopology.B, 2))));
    assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);

    String[] shown = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              shown[0] = run("show", order.xid());
              return shown[0].contains("pending: nothing");
            });

    String timeline = shown[0];
    assertThat(timeline).contains("xid " + order.xid()).contains("tc: no session");
    // two points branches, the portal's, the mall's order branch: every fence row settled
    assertThat(timeline.split("→ committed", -1)).hasSize(5);
    assertThat(timeline).doesNotContain("still tried");
    assertThat(timeline).contains("mall_order").contains(orderNo);
    // ORDER_PLACED to 4 groups and POINTS_SPENT to 3
    assertThat(timeline.split(" DELIVERED attempts", -1).length - 1).isEqualTo(7);
  }

  @Test
  void anXidNobodyKnows_showsNothing_andNothingPending() throws Exception {
    String timeline = run("show", "127.0.0.1:8091:1");

    assertThat(timeline).contains("tc: no session").contains("pending: nothing");
  }

  @Test
  void list_printsTheSessionsTheTcHolds() throws Exception {
    assertThat(run("list")).containsPattern("\\d+ global transactions in the TC");
  }

  @Test
  void badInput_isRefusedBeforeAnyQuery() {
    TxCommand tx =
        new TxCommand(SharedTopology.get().config(), new PrintStream(new ByteArrayOutputStream()));

    assertThatThrownBy(() -> tx.run(List.of("show", "x'; DROP TABLE t; --"), Map.of()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not an XID");
    assertThatThrownBy(() -> tx.run(List.of("list"), Map.of("older-than", "5 years")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--older-than");
    assertThatThrownBy(() -> tx.run(List.of("resolve", "127.0.0.1:8091:1"), Map.of()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not built");
  }

  @Test
  void parkAndRetry_moveTheXidsTriedRows_onlyWithAReasonAndYes_andRecordEachRepair()
      throws Exception {
    TopologyConfig config = SharedTopology.get().config();
    JdbcTemplate jdbc = config.serverJdbc();
    String fence = config.schemaOfChannel(SharedTopology.A) + ".tcc_fence_log";
    String xid = "127.0.0.1:8091:" + (900_000_000L + System.nanoTime() % 1_000_000);
    jdbc.update("INSERT INTO " + fence + " VALUES (?, 41, 'pointsFreeze', 1, NOW(3), NOW(3))", xid);
    jdbc.update("INSERT INTO " + fence + " VALUES (?, 42, 'pointsFreeze', 2, NOW(3), NOW(3))", xid);
    Path record = config.runDir().resolve(TxCommand.REPAIR_LOG);
    long recordedBefore = Files.exists(record) ? Files.readAllLines(record).size() : 0;
    java.util.function.IntSupplier branch41 =
        () ->
            jdbc.queryForObject(
                "SELECT status FROM " + fence + " WHERE xid = ? AND branch_id = 41",
                Integer.class,
                xid);

    assertThatThrownBy(() -> run(Map.of(), "park", xid))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--reason");
    String dryRun = run(Map.of("reason", "merchant bug ticket 42"), "park", xid);
    assertThat(dryRun).contains("1 branch(es) tried → parked").contains("dry run: nothing changed");
    assertThat(branch41.getAsInt()).isEqualTo(1);

    String parked = run(Map.of("reason", "merchant bug ticket 42", "yes", "true"), "park", xid);
    assertThat(parked).contains("branch 41: parked");
    assertThat(branch41.getAsInt()).isEqualTo(TxCommand.PARKED);
    assertThat(run("show", xid)).contains("parked (bin/txc tx retry releases it)");
    // the committed branch is left alone
    assertThat(
            jdbc.queryForObject(
                "SELECT status FROM " + fence + " WHERE xid = ? AND branch_id = 42",
                Integer.class,
                xid))
        .isEqualTo(2);

    String retried = run(Map.of("reason", "fix deployed", "yes", "true"), "retry", xid);
    assertThat(retried).contains("branch 41: tried");
    assertThat(branch41.getAsInt()).isEqualTo(1);
    List<String> lines = Files.readAllLines(record);
    assertThat(lines).hasSize((int) recordedBefore + 2);
    assertThat(lines.get(lines.size() - 2))
        .contains("\"action\":\"park\"", "\"xid\":\"" + xid + "\"")
        .contains("\"reason\":\"merchant bug ticket 42\"")
        .contains("\"before\":\"tried\",\"after\":\"parked\"");
    assertThat(lines.get(lines.size() - 1))
        .contains("\"action\":\"retry\"", "\"reason\":\"fix deployed\"");
    // nothing left to retry
    assertThat(run(Map.of("reason", "again", "yes", "true"), "retry", xid))
        .contains("nothing to retry");
    jdbc.update("DELETE FROM " + fence + " WHERE xid = ?", xid);
  }

  private static String run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private static String run(Map<String, String> options, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TxCommand(
            SharedTopology.get().config(), new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(List.of(args), options);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
