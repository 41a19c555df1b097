package io.txcenter.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.load.LoadCommand;
import io.txcenter.tools.topology.CliException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {

  @Test
  void givenNoOptions_plan_isThreeMinutesSeedOne() {
    assertThat(ChaosCommand.Plan.from(Map.of()))
        .isEqualTo(new ChaosCommand.Plan(3, 1, 5.0, 4, 180, 0.15));
  }

  @Test
  void givenOptions_plan_readsThem() {
    assertThat(
            ChaosCommand.Plan.from(
                Map.of(
                    "minutes", "25",
                    "seed", "42",
                    "rate", "3.5",
                    "concurrency", "8",
                    "quiescence", "300",
                    "fail-share", "0.2")))
        .isEqualTo(new ChaosCommand.Plan(25, 42, 3.5, 8, 300, 0.2));
  }

  @Test
  void givenBadOptions_plan_isRefusedNamingTheOption() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("minutes", "0"),
            Map.entry("minutes", "601"),
            Map.entry("minutes", "three"),
            Map.entry("seed", "-1"),
            Map.entry("concurrency", "0"),
            Map.entry("quiescence", "5"))) {
      assertThatThrownBy(() -> ChaosCommand.Plan.from(Map.of(bad.getKey(), bad.getValue())))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("--" + bad.getKey())
          .hasMessageContaining("[" + bad.getValue() + "]");
    }
    assertThatThrownBy(() -> ChaosCommand.Plan.from(Map.of("rate", "0")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> ChaosCommand.Plan.from(Map.of("fail-share", "x")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--rate and --fail-share");
  }

  @Test
  void reportLastLine_isTheExactFormatScriptsRead() {
    LoadCommand.Summary load = new LoadCommand.Summary();
    load.sent.set(12);
    Audit.Result audit = new Audit.Result(40, List.of("x"), Map.of("orders TRYING", 2L), 1_000);
    ChaosCommand.Report report =
        new ChaosCommand.Report(ChaosCommand.Plan.from(Map.of()), load, List.of(), audit, 5_000);

    assertThat(report.line()).isEqualTo("chaos: 12 tx, 0 kills, 1 violations, 2 stuck");
    assertThat(report.json())
        .contains("\"line\": \"chaos: 12 tx, 0 kills, 1 violations, 2 stuck\"");
  }

  @Test
  void report_countsKillsByKindAndWindow_andRecoveryFromTheRestart() {
    ChaosCommand.Kill kill =
        new ChaosCommand.Kill(
            1,
            new Victim(
                "points-ch-a",
                "points",
                Victim.Probe.BRANCHES,
                List.of(),
                "txc_points_ch_a",
                List.of(),
                null),
            "confirm");
    kill.window = "confirm";
    kill.readyAtMs = 10_000;
    kill.settledAtMs = 12_500;
    ChaosCommand.Kill early =
        new ChaosCommand.Kill(
            2,
            new Victim("tc-1", "tc", Victim.Probe.SESSIONS, List.of(), null, List.of(), null),
            null);
    early.readyAtMs = 20_000;
    early.settledAtMs = 19_000; // the surviving node finished its sessions before the restart
    Audit.Result audit = new Audit.Result(1, List.of(), Map.of(), 0);
    ChaosCommand.Report report =
        new ChaosCommand.Report(
            ChaosCommand.Plan.from(Map.of()),
            new LoadCommand.Summary(),
            List.of(kill, early),
            audit,
            1_000);

    assertThat(kill.recoveryMs()).isEqualTo(2_500);
    assertThat(early.recoveryMs()).isZero();
    assertThat(report.json())
        .contains(
            "\"killsByKindAndWindow\": {\"points\": {\"confirm\": 1}, \"tc\": {\"random\": 1}}")
        .contains("\"byKind\": {\"points\": [2500, 2500], \"tc\": [0, 0]}");
    assertThat(report.line()).isEqualTo("chaos: 0 tx, 2 kills, 0 violations, 0 stuck");
  }
}
