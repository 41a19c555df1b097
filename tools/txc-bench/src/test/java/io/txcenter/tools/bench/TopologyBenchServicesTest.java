package io.txcenter.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyBenchServicesTest {

  private static final TopologyConfig CONFIG =
      TopologyConfig.defaults(
          Path.of(System.getProperty("txc.home", "../..")).toAbsolutePath().normalize(),
          Path.of("/p/run"));

  private static Map<String, String> settingsOf(Topology topology, String process) {
    return topology.stages().stream()
        .flatMap(List::stream)
        .filter(spec -> spec.name().equals(process))
        .findFirst()
        .orElseThrow()
        .settings();
  }

  @Test
  void givenUp_noProcessIsToldToExportTheBenchmarkServices() {
    Topology up = new Topology(CONFIG);

    for (String process : List.of("mall", "portal", "points-" + CONFIG.channels().get(0))) {
      assertThat(settingsOf(up, process))
          .as(process)
          .doesNotContainKey("txc.bench.enabled")
          .doesNotContainKey("txc.mall.monolith.jdbc.url");
    }
  }

  @Test
  void givenTheBench_theMallPortalAndPointsExportThem() {
    Topology bench = Topology.forBench(CONFIG, BenchCommand::involved);

    for (String process : List.of("mall", "portal", "points-" + CONFIG.channels().get(0))) {
      assertThat(settingsOf(bench, process)).as(process).containsEntry("txc.bench.enabled", "true");
    }
    assertThat(settingsOf(bench, "mall")).containsKey("txc.mall.monolith.jdbc.url");
  }
}
