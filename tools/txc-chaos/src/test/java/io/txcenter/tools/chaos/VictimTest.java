package io.txcenter.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.chaos.KillWindowHook.Window;
import io.txcenter.tools.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run's victims come from the processes' descriptors: the kinds the run rotates over, the
 * windows, the schemas and outboxes the recovery probe reads, and a seeded schedule.
 */
class VictimTest {

  private static final Path HOME = ChaosTopologies.HOME;

  private static Topology chaosTopology(Path home) {
    return ChaosTopologies.chaos(home);
  }

  private static Map<String, List<String>> processesByKind(List<Victim> victims) {
    Map<String, List<String>> kinds = new java.util.LinkedHashMap<>();
    Victim.byKind(victims)
        .forEach((kind, vs) -> kinds.put(kind, vs.stream().map(Victim::process).toList()));
    return kinds;
  }

  @Test
  void givenTheProjectsDescriptors_victims_areTheKindsTheRunKilledBefore() {
    List<Victim> victims = Victim.of(chaosTopology(HOME));

    assertThat(processesByKind(victims))
        .containsExactly(
            Map.entry("zk", List.of("zk-1", "zk-2", "zk-3")),
            Map.entry("tc", List.of("tc-1", "tc-2")),
            Map.entry("account", List.of("account")),
            Map.entry(
                "subscriber",
                List.of(
                    "notifier",
                    "sub-ops",
                    "sub-cs",
                    "sub-orch",
                    "sub-compliance",
                    "sub-datacenter",
                    "sub-accounting")),
            Map.entry("points", List.of("points-ch-a", "points-ch-b")),
            Map.entry("portal", List.of("portal")),
            Map.entry("fund", List.of("fund")),
            Map.entry("mall", List.of("mall")),
            Map.entry("payment", List.of("payment")),
            Map.entry("relay-leader", List.of("relay-1", "relay-2")));
    Map<String, Victim> byProcess =
        victims.stream().collect(Collectors.toMap(Victim::process, v -> v));
    List<Window> all = List.of(Window.TRY, Window.BETWEEN, Window.CONFIRM, Window.CANCEL);
    List<Window> noCancel = List.of(Window.TRY, Window.BETWEEN, Window.CONFIRM);
    assertThat(byProcess.get("points-ch-b").windows()).isEqualTo(all);
    assertThat(byProcess.get("points-ch-b").schema()).isEqualTo("txc_points_ch_b");
    assertThat(byProcess.get("portal").windows()).isEqualTo(all);
    assertThat(byProcess.get("mall").windows()).isEqualTo(all);
    assertThat(byProcess.get("account").windows()).isEqualTo(noCancel);
    assertThat(byProcess.get("payment").windows()).isEqualTo(noCancel);
    assertThat(byProcess.get("fund").windows()).isEqualTo(noCancel);
    assertThat(byProcess.get("fund").schema()).isEqualTo("txc_fund");
    assertThat(byProcess.get("payment").schema()).isEqualTo("txc_payment");
    assertThat(byProcess.get("sub-ops").outboxes()).containsExactly("mall");
    assertThat(byProcess.get("sub-ops").group()).isEqualTo("ops");
    assertThat(byProcess.get("sub-accounting").outboxes()).containsExactly("payment");
    assertThat(byProcess.get("sub-accounting").group()).isEqualTo("accounting");
    assertThat(byProcess.get("notifier").outboxes()).containsExactly("payment");
    assertThat(byProcess.get("notifier").group()).isEqualTo("notifier");
    assertThat(byProcess.get("relay-2").outboxes()).containsExactly("mall", "payment", "fund");
    assertThat(byProcess.get("tc-1").probe()).isEqualTo(Victim.Probe.SESSIONS);
    assertThat(byProcess).doesNotContainKeys("merchant", "db");
  }

  @Test
  void givenADescriptorOnlyNewParticipantWithAFence_itIsAVictimKilledInEveryWindow(
      @TempDir Path home) throws Exception {
    // a home with the registry's real module and a new participant module that is nothing but a
    // pom and a descriptor: no tool knows its name
    Path descriptor = Path.of("src/main/resources/META-INF/txc/process.properties");
    Path zk = Files.createDirectories(home.resolve("zk"));
    Files.copy(HOME.resolve("zk/pom.xml"), zk.resolve("pom.xml"));
    Files.createDirectories(zk.resolve(descriptor).getParent());
    Files.copy(HOME.resolve("zk").resolve(descriptor), zk.resolve(descriptor));
    Path loyalty = Files.createDirectories(home.resolve("participant-loyalty/loyalty-service"));
    Files.writeString(
        loyalty.resolve("pom.xml"),
        "<project><parent><artifactId>x</artifactId></parent>"
            + "<artifactId>loyalty-service</artifactId></project>");
    Files.createDirectories(loyalty.resolve(descriptor).getParent());
    Files.writeString(
        loyalty.resolve(descriptor),
        "id=loyalty\nstage=participant\nport=20950\nschema=loyalty\nfence=true\n");

    Topology topology = chaosTopology(home);
    List<Victim> victims = Victim.of(topology);

    assertThat(processesByKind(victims))
        .containsExactly(
            Map.entry("zk", List.of("zk-1", "zk-2", "zk-3")),
            Map.entry("loyalty", List.of("loyalty")));
    Victim victim = victims.get(3);
    assertThat(victim.probe()).isEqualTo(Victim.Probe.BRANCHES);
    assertThat(victim.schema()).isEqualTo("txc_loyalty");
    assertThat(victim.windows())
        .containsExactly(Window.TRY, Window.BETWEEN, Window.CONFIRM, Window.CANCEL);
    // and the schedule kills it, in a window, within the first round of kills
    FaultSchedule schedule = new FaultSchedule(7, victims, Optional.empty(), 0);
    List<FaultSchedule.Strike> kills = new ArrayList<>();
    while (kills.size() < 2) {
      FaultSchedule.Strike s = schedule.next(o -> Optional.empty()).first();
      if (s.type() == FaultType.KILL) {
        kills.add(s);
      }
    }
    assertThat(kills)
        .anySatisfy(
            kill -> {
              assertThat(kill.victim().process()).isEqualTo("loyalty");
              assertThat(kill.armed()).isIn("try", "between", "confirm", "cancel");
            });
    // and pauses it too (a TCC process is pausable unless its descriptor says chaos.pause=false)
    assertThat(victim.pausable()).isTrue();
    assertThat(victims.get(0).pausable()).isFalse(); // a ZooKeeper member is not
    assertThat(victims.get(0).quorum()).isTrue();
  }

  @Test
  void givenChaosVictimFalse_theProcessIsNotKilled(@TempDir Path home) throws Exception {
    Path descriptor = Path.of("src/main/resources/META-INF/txc/process.properties");
    Path module = Files.createDirectories(home.resolve("shy"));
    Files.writeString(module.resolve("pom.xml"), "<project><artifactId>shy</artifactId></project>");
    Files.createDirectories(module.resolve(descriptor).getParent());
    Files.writeString(
        module.resolve(descriptor),
        "id=shy\nstage=participant\nport=20951\nschema=shy\nfence=true\nchaos.victim=false\n");

    assertThat(Victim.of(chaosTopology(home))).isEmpty();
  }

  @Test
  void givenChaosPauseFalse_theProcessIsKilledButNeverPaused(@TempDir Path home) throws Exception {
    Path descriptor = Path.of("src/main/resources/META-INF/txc/process.properties");
    Path module = Files.createDirectories(home.resolve("still"));
    Files.writeString(
        module.resolve("pom.xml"), "<project><artifactId>still</artifactId></project>");
    Files.createDirectories(module.resolve(descriptor).getParent());
    Files.writeString(
        module.resolve(descriptor),
        "id=still\nstage=participant\nport=20952\nschema=still\nfence=true\nchaos.pause=false\n");

    List<Victim> victims = Victim.of(chaosTopology(home));

    assertThat(victims).singleElement().satisfies(v -> assertThat(v.pausable()).isFalse());
  }

  @Test
  void givenTheEmbeddedDatabase_itIsTheDatabaseVictim_andWithAnExternalOneThereIsNone() {
    assertThat(Victim.database(ChaosTopologies.chaos(HOME, true)))
        .hasValueSatisfying(
            db -> {
              assertThat(db.process()).isEqualTo("db");
              assertThat(db.kind()).isEqualTo("db");
              assertThat(db.probe()).isEqualTo(Victim.Probe.SESSIONS);
            });
    assertThat(Victim.database(ChaosTopologies.chaos(HOME, false))).isEmpty();
    // and it is never among the kill victims of the other faults
    assertThat(Victim.of(ChaosTopologies.chaos(HOME, true)))
        .extracting(Victim::process)
        .doesNotContain("db");
  }

  @Test
  void givenTheProjectsDescriptors_thePausableKinds_areTheTccProcessesTheTcNodesAndTheRelays() {
    Map<String, Boolean> pausable = new java.util.TreeMap<>();
    for (Victim v : Victim.of(chaosTopology(HOME))) {
      pausable.merge(v.kind(), v.pausable(), Boolean::logicalAnd);
    }

    assertThat(pausable)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "zk", false,
                "tc", true,
                "account", true,
                "subscriber", false,
                "points", true,
                "portal", true,
                "fund", true,
                "mall", true,
                "payment", true,
                "relay-leader", true));
  }

  @Test
  void givenASeed_theKillsComeEveryKindOnceBeforeAnyTwice_andTheRelayKindTakesTheLeader() {
    List<Victim> victims = Victim.of(chaosTopology(HOME));
    int kinds = Victim.byKind(victims).size();

    FaultSchedule schedule = new FaultSchedule(1, victims, Optional.empty(), 0);
    List<String> firstRound = new ArrayList<>();
    while (firstRound.size() < kinds) {
      FaultSchedule.Strike s = schedule.next(o -> Optional.empty()).first();
      if (s.type() == FaultType.KILL) {
        firstRound.add(s.victim().kind());
      }
    }
    assertThat(new LinkedHashSet<>(firstRound)).hasSize(kinds);
    // the relay kind kills (and pauses) the leader when ZooKeeper names it
    FaultSchedule led = new FaultSchedule(1, victims, Optional.empty(), 0);
    for (int i = 0; i < kinds * 3; i++) {
      FaultSchedule.Strike s =
          led.next(outbox -> outbox.equals("mall") ? Optional.of("relay-2") : Optional.empty())
              .first();
      if (s.victim().kind().equals("relay-leader")) {
        assertThat(s.victim().process()).isEqualTo("relay-2");
      }
    }
  }
}
