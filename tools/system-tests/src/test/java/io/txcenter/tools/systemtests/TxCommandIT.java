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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TxCommand(
            SharedTopology.get().config(), new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(List.of(args), Map.of());
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
