package io.txcenter.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The seeded fault schedule on the project's descriptors, without processes. */
class FaultScheduleTest {

  private static final List<Victim> VICTIMS =
      Victim.of(ChaosTopologies.chaos(ChaosTopologies.HOME, true));
  private static final Optional<Victim> DB =
      Victim.database(ChaosTopologies.chaos(ChaosTopologies.HOME, true));

  private static List<FaultSchedule.Step> steps(long seed, double overlapShare, int n) {
    FaultSchedule schedule = new FaultSchedule(seed, VICTIMS, DB, overlapShare);
    List<FaultSchedule.Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      steps.add(schedule.next(outbox -> Optional.empty()));
    }
    return steps;
  }

  private static List<FaultSchedule.Strike> strikes(List<FaultSchedule.Step> steps) {
    return steps.stream().flatMap(s -> s.strikes().stream()).toList();
  }

  @Test
  void givenASeed_theScheduleIsTheSame_andAnotherSeedGivesAnother() {
    assertThat(steps(7, 0.25, 200)).isEqualTo(steps(7, 0.25, 200));
    assertThat(steps(8, 0.25, 200)).isNotEqualTo(steps(7, 0.25, 200));
  }

  @Test
  void givenTheFirstSteps_eachTypeComesOnce_andOneOfThemIsOverlapped() {
    for (long seed = 0; seed < 200; seed++) {
      List<FaultSchedule.Step> first = steps(seed, 0.25, 3);

      assertThat(first.stream().map(s -> s.first().type()).collect(Collectors.toSet()))
          .as("seed %d", seed)
          .containsExactlyInAnyOrder(FaultType.KILL, FaultType.PAUSE, FaultType.DB_KILL);
      assertThat(first.stream().filter(s -> s.second() != null).count())
          .as("seed %d", seed)
          .isEqualTo(1);
    }
  }

  @Test
  void givenEnoughSteps_everyKindIsKilled_everyPausableKindPaused_andTheDatabaseKilled() {
    List<FaultSchedule.Strike> strikes = strikes(steps(11, 0.25, 200));
    Set<String> killed =
        strikes.stream()
            .filter(s -> s.type() == FaultType.KILL)
            .map(s -> s.victim().kind())
            .collect(Collectors.toSet());
    Set<String> paused =
        strikes.stream()
            .filter(s -> s.type() == FaultType.PAUSE)
            .map(s -> s.victim().kind())
            .collect(Collectors.toSet());

    assertThat(killed).isEqualTo(Victim.byKind(VICTIMS).keySet());
    // the four: the relay leader, a participant in a window, a TC node, the mall
    assertThat(paused)
        .containsExactlyInAnyOrder(
            "relay-leader", "tc", "mall", "points", "portal", "account", "fund", "payment");
    assertThat(strikes)
        .filteredOn(s -> s.type() == FaultType.PAUSE)
        .allSatisfy(
            s -> {
              assertThat(s.victim().pausable()).isTrue();
              assertThat(s.durationMs()).isBetween(1_000L, 15_000L);
              if (!s.victim().windows().isEmpty()) {
                assertThat(s.armed()).isIn("try", "between", "confirm", "cancel");
              }
            });
    assertThat(strikes)
        .filteredOn(s -> s.type() != FaultType.PAUSE)
        .allSatisfy(s -> assertThat(s.durationMs()).isBetween(1_000L, 6_000L));
    assertThat(strikes)
        .filteredOn(s -> s.type() == FaultType.DB_KILL)
        .allSatisfy(s -> assertThat(s.victim().process()).isEqualTo("db"))
        .hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void givenAnOverlapShare_aboutThatShareOfStepsHasASecondFault_whileTheFirstIsInEffect() {
    for (double share : List.of(0.0, 0.25, 0.6, 1.0)) {
      List<FaultSchedule.Step> steps = steps(5, share, 2_003).subList(3, 2_003);
      double overlapped = steps.stream().filter(s -> s.second() != null).count() / 2_000.0;

      assertThat(overlapped).as("share %s", share).isBetween(share - 0.04, share + 0.04);
      assertThat(steps)
          .filteredOn(s -> s.second() != null)
          .allSatisfy(
              s -> {
                assertThat(s.secondAfterMs()).isLessThan(Math.max(1, s.first().durationMs()));
                assertThat(s.second().victim().process())
                    .isNotEqualTo(s.first().victim().process());
              });
    }
    assertThat(steps(5, 0.0, 50)).allSatisfy(s -> assertThat(s.second()).isNull());
  }

  @Test
  void givenOverlaps_neverTwoZooKeeperMembersAtOnce_butBothTcNodesMay() {
    List<FaultSchedule.Step> overlapped =
        steps(3, 1.0, 3_000).stream().filter(s -> s.second() != null).toList();

    assertThat(overlapped)
        .noneSatisfy(
            s -> {
              assertThat(s.first().victim().kind()).isEqualTo("zk");
              assertThat(s.second().victim().kind()).isEqualTo("zk");
            });
    assertThat(overlapped)
        .anySatisfy(
            s -> {
              assertThat(s.first().victim().kind()).isEqualTo("tc");
              assertThat(s.second().victim().kind()).isEqualTo("tc");
            });
    // and the pairs come up: a participant and a TC node, a subscriber and the relay
    // leader, the database and a participant
    Set<String> pairs =
        overlapped.stream()
            .map(s -> pairName(s.first()) + "+" + pairName(s.second()))
            .collect(Collectors.toSet());
    assertThat(pairs).contains("points+tc", "subscriber+relay-leader", "db+points");
  }

  @Test
  void givenAQuorumOfFive_twoMembersMayBeDownAtOnce_butNeverThree() {
    List<Victim> five = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      five.add(
          new Victim(
              "zk-" + i,
              "zk",
              Victim.Probe.SESSIONS,
              List.of(),
              null,
              List.of(),
              null,
              false,
              true));
    }
    FaultSchedule schedule = new FaultSchedule(1, five, Optional.empty(), 1.0);
    List<FaultSchedule.Step> steps = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      steps.add(schedule.next(outbox -> Optional.empty()));
    }

    assertThat(steps).anySatisfy(s -> assertThat(s.second()).isNotNull());
    // three of three: with one member down, a second leaves no majority, so no second fault
    List<Victim> three = five.subList(0, 3);
    FaultSchedule small = new FaultSchedule(1, three, Optional.empty(), 1.0);
    for (int i = 0; i < 100; i++) {
      assertThat(small.next(outbox -> Optional.empty()).second()).isNull();
    }
  }

  private static String pairName(FaultSchedule.Strike s) {
    return switch (s.victim().kind()) {
      case "points", "portal", "account", "fund", "mall", "payment" -> "points";
      default -> s.victim().kind();
    };
  }
}
