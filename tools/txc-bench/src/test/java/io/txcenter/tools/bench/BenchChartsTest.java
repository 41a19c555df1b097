package io.txcenter.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.bench.BenchCommand.Report.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartsTest {

  private static Summary summary(String arm, double txPerSecond, Map<String, Double> cores) {
    return new Summary(arm, 16, txPerSecond, txPerSecond, txPerSecond, 1, 2, 3, 0, 40.5, cores);
  }

  private static Map<String, Double> cores(double db, double mall) {
    Map<String, Double> cores = new LinkedHashMap<>();
    cores.put("db", db);
    cores.put("mall", mall);
    return cores;
  }

  @Test
  void cpuPerOrder_isCoresOverThroughput_inMilliseconds() {
    // 0.5 cores at 50 orders/s: 10 ms of CPU per order
    assertThat(BenchCharts.cpuMsPerOrder(summary("tcc", 50, cores(0.5, 0.25))))
        .containsEntry("db", 10.0)
        .containsEntry("mall", 5.0);
    assertThat(BenchCharts.cpuMsPerOrder(summary("tcc", 0, cores(0.5, 0.25)))).isEmpty();
  }

  @Test
  void table_hasOneColumnPerArm_aTotalRow_andTheStatements() {
    String table =
        BenchCharts.table(
            List.of(summary("tcc", 50, cores(0.5, 0.25)), summary("plain", 100, cores(0.5, 0.5))),
            16);

    assertThat(table).contains("| process kind | tcc | plain |");
    assertThat(table).contains("| db | 10.0 | 5.0 |");
    assertThat(table).contains("| mall | 5.0 | 5.0 |");
    assertThat(table).contains("| **one order** | **15.0** | **10.0** |");
    assertThat(table).contains("| database statements | 40.5 | 40.5 |");
  }

  @Test
  void charts_areWrittenAsPng(@TempDir Path dir) throws Exception {
    List<Summary> atLevel =
        List.of(summary("tcc", 50, cores(0.5, 0.25)), summary("plain", 100, cores(0.5, 0.5)));

    BenchCharts.cpuChart(atLevel, 16, dir.resolve("cpu.png"));
    BenchCharts.statementsChart(atLevel, 16, dir.resolve("statements.png"));

    for (String name : List.of("cpu.png", "statements.png")) {
      byte[] png = Files.readAllBytes(dir.resolve(name));
      assertThat(png).hasSizeGreaterThan(1000);
      assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("PNG");
    }
  }

  @Test
  void outboxChart_isWrittenAsPng(@TempDir Path dir) throws Exception {
    OutboxBench.Latency ops = OutboxBench.Latency.of("ops", List.of(90_000L, 200_000L));
    OutboxBench.Latency all = OutboxBench.Latency.of("all", List.of(90_000L, 200_000L));
    OutboxBench.RatePoint point =
        new OutboxBench.RatePoint(
            10, 80, 0, 8, 100, 200, List.of(ops), all, all, 0, true, Map.of(), 100, 8);

    BenchCharts.outboxLatencyChart(List.of(point), dir.resolve("outbox.png"));

    assertThat(Files.size(dir.resolve("outbox.png"))).isGreaterThan(1000);
  }
}
