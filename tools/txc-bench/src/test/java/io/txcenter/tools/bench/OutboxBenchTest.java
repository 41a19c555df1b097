package io.txcenter.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The outbox part's plan, its latency and saturation arithmetic, its line and its topology. */
class OutboxBenchTest {

  private static final Path HOME = Path.of("/p");
  private static final Path RUN = Path.of("/p/run");

  @Test
  void givenNoOptions_plan_isTheFullRunIntoDocs() {
    OutboxBench.Plan plan = OutboxBench.Plan.from(Map.of("outbox", "true"), HOME, RUN);

    assertThat(plan)
        .isEqualTo(
            new OutboxBench.Plan(
                List.of(10, 20, 40), 20, 5, 600, 16, 10, Path.of("/p/docs/bench")));
  }

  @Test
  void givenQuickAndRates_plan_isShorterWritesIntoTheRunDirectory_andTakesTheRates() {
    OutboxBench.Plan plan =
        OutboxBench.Plan.from(Map.of("quick", "true", "rates", "5,20"), HOME, RUN);

    assertThat(plan.rates()).containsExactly(5, 20);
    assertThat(plan.seconds()).isEqualTo(8);
    assertThat(plan.burst()).isEqualTo(200);
    assertThat(plan.out()).isEqualTo(Path.of("/p/run/bench"));
  }

  @Test
  void givenBadOptions_plan_isRefusedNamingTheOption() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("rates", "10,x"),
            Map.entry("rates", "0"),
            Map.entry("rates", "10,,20"),
            Map.entry("rates", "501"),
            Map.entry("seconds", "0"),
            Map.entry("burst", "-1"),
            Map.entry("burst-concurrency", "300"))) {
      assertThatThrownBy(
              () -> OutboxBench.Plan.from(Map.of(bad.getKey(), bad.getValue()), HOME, RUN))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("--" + bad.getKey())
          .hasMessageContaining("[" + bad.getValue() + "]");
    }
  }

  @Test
  void latency_isNearestRankPercentilesInMilliseconds_ofMicroseconds() {
    List<Long> micros = new ArrayList<>();
    for (long ms = 100; ms >= 1; ms--) {
      micros.add(ms * 1_000 + 500); // 1.5 ms .. 100.5 ms, unsorted
    }

    OutboxBench.Latency latency = OutboxBench.Latency.of("ops", micros);

    assertThat(latency).isEqualTo(new OutboxBench.Latency("ops", 100, 50.5, 99.5, 100.5));
    assertThat(OutboxBench.Latency.of("cs", List.of()))
        .isEqualTo(new OutboxBench.Latency("cs", 0, 0, 0, 0));
  }

  @Test
  void givenABacklogAtTheLastCommit_saturation_isTheDrainRate() {
    // commits from t=0 to t=1000 ms; 300 deliveries up to t=1000, then 200 more by t=2000
    List<Long> ready = List.of(0L, 500L, 1_000L);
    List<Long> delivered = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      delivered.add((long) i * 1_000 / 300);
    }
    for (int i = 1; i <= 200; i++) {
      delivered.add(1_000L + i * 5);
    }

    OutboxBench.Saturation s =
        OutboxBench.Saturation.of(100, 1.0, ready, delivered, true, Map.of());

    assertThat(s.deliveries()).isEqualTo(500);
    assertThat(s.backlog()).isEqualTo(200);
    assertThat(s.drainPerSecond()).isEqualTo(200.0);
    assertThat(s.overallPerSecond()).isEqualTo(250.0);
    assertThat(s.saturated()).isTrue();
    assertThat(s.headline()).isEqualTo(200.0);
  }

  @Test
  void givenARelayThatKeptUp_saturation_saysSoAndQuotesTheOverallRate() {
    List<Long> ready = List.of(0L, 1_000L);
    List<Long> delivered = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      delivered.add((long) i * 10);
    }
    delivered.add(1_010L); // one delivery after the last commit: no backlog to speak of

    OutboxBench.Saturation s = OutboxBench.Saturation.of(50, 1.0, ready, delivered, true, Map.of());

    assertThat(s.saturated()).isFalse();
    assertThat(s.headline()).isEqualTo(s.overallPerSecond()).isEqualTo(101 / 1.01);
  }

  @Test
  void line_quotesTheP99At20PerSecond_orTheRateNearestToIt_andSaysWhenNotSettled() {
    OutboxBench.Saturation burst =
        OutboxBench.Saturation.of(
            10, 1.0, List.of(0L, 100L), List.of(50L, 200L, 300L, 400L, 500L), true, Map.of());
    OutboxBench.Plan plan = OutboxBench.Plan.from(Map.of(), HOME, RUN);

    OutboxBench.Report report =
        new OutboxBench.Report(
            plan,
            List.of(point(10, 90, true), point(20, 180, true), point(40, 900, true)),
            null,
            burst,
            1);
    OutboxBench.Report without20 =
        new OutboxBench.Report(
            plan, List.of(point(5, 70, true), point(30, 300, false)), null, null, 1);

    assertThat(report.line())
        .isEqualTo("outbox: p99 at 20/s = 180 ms (p50 90 ms), 10 deliveries/s at saturation");
    assertThat(without20.line())
        .isEqualTo("outbox: p99 at 30/s = 300 ms (p50 150 ms), NOT SETTLED");
    assertThat(report.markdown())
        .contains("| 20 | 90 / 180 | 90 / 180 |")
        .endsWith(report.line() + "\n");
    assertThat(report.json()).contains("\"rate\": 40").contains("\"drainPerSecond\": 10.0");
  }

  @Test
  void topology_isTheOrdersProcesses_theRelays_andTheAccompanimentSubscribers() {
    TopologyConfig config =
        TopologyConfig.defaults(
            Path.of(System.getProperty("txc.home", "../..")).toAbsolutePath().normalize(), RUN);
    Topology all = new Topology(config);
    Predicate<String> involved = OutboxBench.involved(all);

    List<String> started = all.processNames().stream().filter(involved).toList();

    List<String> expected =
        new ArrayList<>(all.processNames().stream().filter(BenchCommand::involved).toList());
    expected.addAll(TopologyConfig.RELAYS);
    TopologyConfig.SUBSCRIBERS.keySet().forEach(g -> expected.add("sub-" + g));
    assertThat(started).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(started).doesNotContain("sub-accounting", "notifier", "payment", "fund");
  }

  @Test
  void perOrderCosts_spreadThePhasesCoresAndStatementsOverItsOrders() {
    OutboxBench.RatePoint p = point(20, 100, true); // 160 orders over a 10 s phase

    assertThat(p.cpuMsPerOrder("relay")).isEqualTo(0.5 * 10 * 1e3 / 160);
    assertThat(p.cpuMsPerOrder("tc")).isZero();
    assertThat(p.statementsPerOrder()).isEqualTo(100 * 10.0 / 160);
  }

  private static OutboxBench.RatePoint point(int rate, double p99, boolean settled) {
    OutboxBench.Latency all = new OutboxBench.Latency("all", 10, p99 / 2, p99, p99);
    return new OutboxBench.RatePoint(
        rate,
        rate * 8L,
        0,
        8.0,
        30,
        60,
        List.of(new OutboxBench.Latency("ops", 10, p99 / 2, p99, p99)),
        all,
        new OutboxBench.Latency("fan-out", 10, 40, 90, 95),
        0,
        settled,
        Map.of("relay", 0.5),
        100,
        10.0);
  }
}
