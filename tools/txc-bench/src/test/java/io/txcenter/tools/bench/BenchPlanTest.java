package io.txcenter.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.tools.topology.CliException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchPlanTest {

  private static final Path HOME = Path.of("/p");
  private static final Path RUN = Path.of("/p/run");

  @Test
  void givenNoOptions_plan_isTheFullRunIntoDocs() {
    BenchCommand.Plan plan = BenchCommand.Plan.from(Map.of(), HOME, RUN);

    assertThat(plan)
        .isEqualTo(
            new BenchCommand.Plan(
                List.of("tcc", "plain", "monolith", "at"),
                List.of(1, 4, 16, 64),
                3,
                8,
                10,
                List.of(1, 2, 4, 8),
                8,
                0,
                3_600,
                Path.of("/p/docs/bench")));
  }

  @Test
  void givenQuick_plan_isSmallAndWritesIntoTheRunDirectory() {
    BenchCommand.Plan plan = BenchCommand.Plan.from(Map.of("quick", "true"), HOME, RUN);

    assertThat(plan.levels()).containsExactly(1, 4, 16);
    assertThat(plan.repeats()).isEqualTo(1);
    assertThat(plan.seconds()).isEqualTo(4);
    assertThat(plan.out()).isEqualTo(Path.of("/p/run/bench"));
  }

  @Test
  void givenBadOptions_plan_isRefusedNamingTheOption() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("levels", "1,x"),
            Map.entry("levels", "0"),
            Map.entry("repeats", "0"),
            Map.entry("seconds", "-3"),
            Map.entry("arms", "plain"),
            Map.entry("arms", "at"),
            Map.entry("arms", "tcc,saga"),
            Map.entry("fence-rows", "20000000"),
            Map.entry("branches", "1,17"))) {
      assertThatThrownBy(
              () -> BenchCommand.Plan.from(Map.of(bad.getKey(), bad.getValue()), HOME, RUN))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("--" + bad.getKey())
          .hasMessageContaining("[" + bad.getValue() + "]");
    }
  }

  @Test
  void report_takesMediansOfRepeats_andRatiosAtTheTccArmsBestLevel() {
    List<BenchCommand.Point> points =
        List.of(
            point("tcc", 1, 10),
            point("tcc", 1, 30),
            point("tcc", 1, 20),
            point("plain", 1, 100),
            point("monolith", 1, 400),
            point("tcc", 4, 50),
            point("plain", 4, 200),
            point("monolith", 4, 500),
            point("at", 4, 40));
    BenchCommand.Report report =
        new BenchCommand.Report(BenchCommand.Plan.from(Map.of(), HOME, RUN), points, List.of(), 1);

    assertThat(report.bestLevel()).isEqualTo(4);
    // the first two ratios as scripts have always read them, the at arm's after them
    assertThat(report.line()).isEqualTo("bench: tcc/plain=0.25 tcc/monolith=0.10 tcc/at=1.25");
    assertThat(report.json()).contains("\"tccOverAt\": 1.2500");
    assertThat(report.summaries(points).get(0).median()).isEqualTo(20.0);
    assertThat(report.markdown()).contains("| tcc | 1 | 20.0 | 10.0–30.0 |");
  }

  @Test
  void givenOnlyTheTccArm_report_saysTheRatiosAreNotAvailable() {
    List<BenchCommand.Point> points = List.of(point("tcc", 1, 10), point("tcc", 4, 30));
    BenchCommand.Report report =
        new BenchCommand.Report(
            BenchCommand.Plan.from(Map.of("arms", "tcc"), HOME, RUN), points, List.of(), 1);

    assertThat(report.line()).isEqualTo("bench: tcc/plain=n/a tcc/monolith=n/a tcc/at=n/a");
    assertThat(report.json()).contains("\"tccOverPlain\": null").contains("\"tccOverAt\": null");
  }

  @Test
  void givenAnArmThatCommittedNothing_itsRatioIsNotAvailable_andTheJsonStaysJson() {
    List<BenchCommand.Point> points =
        List.of(point("tcc", 4, 30), point("plain", 4, 60), point("at", 4, 0));
    BenchCommand.Report report =
        new BenchCommand.Report(BenchCommand.Plan.from(Map.of(), HOME, RUN), points, List.of(), 1);

    assertThat(report.line()).isEqualTo("bench: tcc/plain=0.50 tcc/monolith=n/a tcc/at=n/a");
    assertThat(report.json()).contains("\"tccOverAt\": null").doesNotContain("Infinity");
  }

  @Test
  void statementsPerCall_dividesTheServersStatementsByCommittedCalls() {
    BenchCommand.Point point =
        new BenchCommand.Point("tcc", 1, 1, 40, 2, 1.0, 1, 1, 1, Map.of(), 1_000);

    assertThat(point.statementsPerCall()).isEqualTo(25.0);
  }

  @Test
  void processKinds_groupReplicasTogether() {
    assertThat(BenchCommand.kindOf("points-ch-b")).isEqualTo("points");
    assertThat(BenchCommand.kindOf("sub-ops")).isEqualTo("subscribers");
    assertThat(BenchCommand.kindOf("tc-2")).isEqualTo("tc");
    assertThat(BenchCommand.kindOf("relay-1")).isEqualTo("relay");
    assertThat(BenchCommand.kindOf("mall")).isEqualTo("mall");
  }

  private static BenchCommand.Point point(String arm, int c, long ok) {
    return new BenchCommand.Point(arm, c, 1, ok, 0, 1.0, 1_000, 2_000, 3_000, Map.of(), 0);
  }
}
