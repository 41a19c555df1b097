package io.txcenter.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.load.LoadCommand;
import io.txcenter.tools.topology.CliException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {

  private static final Victim POINTS =
      new Victim(
          "points-ch-a",
          "points",
          Victim.Probe.BRANCHES,
          List.of(),
          "txc_points_ch_a",
          List.of(),
          null);
  private static final Victim TC =
      new Victim("tc-1", "tc", Victim.Probe.SESSIONS, List.of(), null, List.of(), null);
  private static final Victim DB =
      new Victim("db", "db", Victim.Probe.SESSIONS, List.of(), null, List.of(), null);

  @Test
  void givenNoOptions_plan_isThreeMinutesSeedOne() {
    assertThat(ChaosCommand.Plan.from(Map.of()))
        .isEqualTo(new ChaosCommand.Plan(3, 1, 5.0, 4, 180, 0.15, 0.25));
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
                    "fail-share", "0.2",
                    "overlap-share", "0.5")))
        .isEqualTo(new ChaosCommand.Plan(25, 42, 3.5, 8, 300, 0.2, 0.5));
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
            Map.entry("quiescence", "5"),
            Map.entry("overlap-share", "1.5"),
            Map.entry("overlap-share", "-0.1"),
            Map.entry("overlap-share", "NaN"))) {
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
        .hasMessageContaining("--fail-share");
    assertThatThrownBy(() -> ChaosCommand.Plan.from(Map.of("overlap-share", "x")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--overlap-share");
  }

  @Test
  void reportLastLine_isTheExactFormatScriptsRead_afterTheBreakdownLine() {
    LoadCommand.Summary load = new LoadCommand.Summary();
    load.sent.set(12);
    Audit.Result audit = new Audit.Result(40, List.of("x"), Map.of("orders TRYING", 2L), 1_000);
    ChaosCommand.Report report =
        new ChaosCommand.Report(
            ChaosCommand.Plan.from(Map.of()), load, List.of(), List.of(), audit, 5_000);

    assertThat(report.line()).isEqualTo("chaos: 12 tx, 0 kills, 1 violations, 2 stuck");
    assertThat(report.closing())
        .isEqualTo(
            "chaos faults: kill=0 pause=0 db-kill=0 overlap=0\n"
                + "chaos: 12 tx, 0 kills, 1 violations, 2 stuck");
    assertThat(report.json())
        .contains("\"line\": \"chaos: 12 tx, 0 kills, 1 violations, 2 stuck\"")
        .contains("\"breakdown\": \"chaos faults: kill=0 pause=0 db-kill=0 overlap=0\"");
  }

  @Test
  void report_countsEveryFaultByType_andRecoveryFromTheReturn() {
    Fault kill = new Fault(1, FaultType.KILL, POINTS, "confirm", 3_000, 0);
    kill.window = "confirm";
    kill.readyAtMs = 10_000;
    kill.settledAtMs = 12_500;
    Fault early = new Fault(2, FaultType.KILL, TC, null, 2_000, 1);
    early.readyAtMs = 20_000;
    early.settledAtMs = 19_000; // the surviving node finished its sessions before the restart
    Fault pause = new Fault(3, FaultType.PAUSE, POINTS, "try", 7_000, 0);
    pause.window = "try";
    pause.restartedAtMs = 30_000; // SIGCONT
    pause.readyAtMs = 30_000;
    pause.settledAtMs = 30_400;
    Fault db = new Fault(4, FaultType.DB_KILL, DB, null, 4_000, 0);
    db.readyAtMs = 50_000;
    db.settledAtMs = 53_000;
    Fault never = new Fault(5, FaultType.PAUSE, TC, null, 1_000, 4);
    never.readyAtMs = 60_000;
    Audit.Result audit = new Audit.Result(1, List.of(), Map.of(), 0);
    ChaosCommand.Report report =
        new ChaosCommand.Report(
            ChaosCommand.Plan.from(Map.of()),
            new LoadCommand.Summary(),
            List.of(kill, early, pause, db, never),
            List.of(new ChaosCommand.Exit(4, "relay-1", 51_000, "restarted", List.of("boom"))),
            audit,
            1_000);

    assertThat(kill.recoveryMs()).isEqualTo(2_500);
    assertThat(early.recoveryMs()).isZero();
    assertThat(pause.recoveryMs()).isEqualTo(400);
    assertThat(never.recoveryMs()).isEqualTo(-1);
    assertThat(report.breakdown()).isEqualTo("chaos faults: kill=2 pause=2 db-kill=1 overlap=2");
    assertThat(report.line()).isEqualTo("chaos: 0 tx, 5 kills, 0 violations, 0 stuck");
    assertThat(report.json())
        .contains(
            "\"faultsByTypeKindAndWindow\": {\"db-kill\": {\"db\": {\"random\": 1}},"
                + " \"kill\": {\"points\": {\"confirm\": 1}, \"tc\": {\"random\": 1}},"
                + " \"pause\": {\"points\": {\"try\": 1}, \"tc\": {\"random\": 1}}}")
        .contains(
            "\"byType\": {\"db-kill\": [3000, 3000], \"kill\": [0, 2500], \"pause\": [400, 400]}")
        .contains("\"unsettled\": 1")
        .contains("\"n\": 2, \"fault\": \"kill\", \"overlaps\": 1, \"kind\": \"tc\"")
        .contains("\"n\": 3, \"fault\": \"pause\", \"overlaps\": null")
        .contains("\"n\": 4, \"fault\": \"db-kill\"")
        .contains("{\"process\": \"relay-1\", \"afterFault\": 4,");
  }

  /**
   * The pacing, on the schedule alone: within {@code --minutes 3} every seed sees a database kill,
   * a pause and an overlap; within 60 minutes at least 150 faults with 10 database kills and 20
   * pauses. Durations are the schedule's conservative estimates (FaultSchedule.estimateMs).
   */
  @Test
  void givenAnySeed_aThreeMinuteSchedule_hasEveryFaultTypeAndAnOverlap() {
    List<Victim> victims = Victim.of(ChaosTopologies.chaos(ChaosTopologies.HOME, true));
    Optional<Victim> db = Victim.database(ChaosTopologies.chaos(ChaosTopologies.HOME, true));
    long window = ChaosCommand.Plan.from(Map.of("minutes", "3")).faultWindowMs();
    for (long seed = 0; seed < 300; seed++) {
      List<FaultSchedule.Step> steps = new FaultSchedule(seed, victims, db, 0.25).plan(window);

      assertThat(steps.stream().flatMap(s -> s.strikes().stream()).map(FaultSchedule.Strike::type))
          .as("seed %d", seed)
          .contains(FaultType.KILL, FaultType.PAUSE, FaultType.DB_KILL);
      assertThat(steps).as("seed %d", seed).anySatisfy(s -> assertThat(s.second()).isNotNull());
      // and within the first three steps, whatever the run's real durations
      assertThat(steps.subList(0, 3).stream().map(s -> s.first().type()).distinct().count())
          .as("seed %d", seed)
          .isEqualTo(3);
    }
  }

  @Test
  void givenAnySeed_aSixtyMinuteSchedule_meetsTheLongRunsMinimums() {
    List<Victim> victims = Victim.of(ChaosTopologies.chaos(ChaosTopologies.HOME, true));
    Optional<Victim> db = Victim.database(ChaosTopologies.chaos(ChaosTopologies.HOME, true));
    long window = ChaosCommand.Plan.from(Map.of("minutes", "60")).faultWindowMs();
    for (long seed = 0; seed < 50; seed++) {
      List<FaultSchedule.Strike> faults =
          new FaultSchedule(seed, victims, db, 0.25)
              .plan(window).stream().flatMap(s -> s.strikes().stream()).toList();

      assertThat(faults).as("seed %d", seed).hasSizeGreaterThanOrEqualTo(150);
      assertThat(faults.stream().filter(f -> f.type() == FaultType.DB_KILL).count())
          .as("seed %d", seed)
          .isGreaterThanOrEqualTo(10);
      assertThat(faults.stream().filter(f -> f.type() == FaultType.PAUSE).count())
          .as("seed %d", seed)
          .isGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void givenAnExternalDatabase_theScheduleHasNoDatabaseFault_butPausesAndOverlaps() {
    List<Victim> victims = Victim.of(ChaosTopologies.chaos(ChaosTopologies.HOME, false));
    Optional<Victim> db = Victim.database(ChaosTopologies.chaos(ChaosTopologies.HOME, false));
    long window = ChaosCommand.Plan.from(Map.of("minutes", "60")).faultWindowMs();
    FaultSchedule schedule = new FaultSchedule(3, victims, db, 0.25);

    List<FaultSchedule.Step> steps = schedule.plan(window);

    assertThat(schedule.databaseFaults()).isFalse();
    assertThat(steps.stream().flatMap(s -> s.strikes().stream()).map(FaultSchedule.Strike::type))
        .contains(FaultType.KILL, FaultType.PAUSE)
        .doesNotContain(FaultType.DB_KILL);
    assertThat(steps).anySatisfy(s -> assertThat(s.second()).isNotNull());
  }
}
