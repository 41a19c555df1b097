package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.testkit.TestDatabase;
import io.txcenter.tools.bench.BenchCommand;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bench's topology (only the processes a mall order involves) on free ports: the bench plugins
 * the launcher puts on the mall's, the portal's and the points processes' class paths export the
 * benchmark-only services, and each arm places an order through them.
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
}
