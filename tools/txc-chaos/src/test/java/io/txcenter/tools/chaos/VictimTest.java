package io.txcenter.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.chaos.KillWindowHook.Window;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run's victims come from the processes' descriptors: the kinds the run rotates over, the
 * windows, the schemas and outboxes the recovery probe reads, and a seeded schedule.
 */
class VictimTest {

  private static final Path HOME =
      Path.of(System.getProperty("txc.home", "../..")).toAbsolutePath().normalize();

  /** The chaos run's topology: HA (three zk members, two TC nodes), chaos settings. */
  private static Topology chaosTopology(Path home) {
    TopologyConfig d = TopologyConfig.defaults(home, home.resolve("run"));
    return new Topology(
        new TopologyConfig(
            d.home(),
            d.runDir(),
            false,
            d.dbServerUrl(),
            d.dbUser(),
            d.dbPassword(),
            d.schemaPrefix(),
            d.ports(),
            d.channels(),
            false,
            "db",
            d.consoleUser(),
            "pw",
            ChaosCommand.LADDER,
            "",
            0,
            true,
            true));
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
    // and the schedule kills it, in a window, within the first round
    ChaosCommand.Schedule schedule = new ChaosCommand.Schedule(7, victims);
    List<ChaosCommand.Schedule.Next> round =
        List.of(schedule.next(o -> Optional.empty()), schedule.next(o -> Optional.empty()));
    assertThat(round)
        .anySatisfy(
            next -> {
              assertThat(next.victim().process()).isEqualTo("loyalty");
              assertThat(next.armed()).isIn("try", "between", "confirm", "cancel");
            });
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
  void givenASeed_theScheduleIsTheSame_andEveryKindDiesOnceBeforeAnyTwice() {
    List<Victim> victims = Victim.of(chaosTopology(HOME));
    int kinds = Victim.byKind(victims).size();

    List<String> first = plan(victims, 1, kinds * 3);
    assertThat(plan(victims, 1, kinds * 3)).isEqualTo(first);
    assertThat(plan(victims, 2, kinds * 3)).isNotEqualTo(first);
    Set<String> firstRound = new LinkedHashSet<>();
    ChaosCommand.Schedule schedule = new ChaosCommand.Schedule(1, victims);
    for (int i = 0; i < kinds; i++) {
      firstRound.add(schedule.next(o -> Optional.empty()).victim().kind());
    }
    assertThat(firstRound).hasSize(kinds);
    // the relay kind kills the leader when ZooKeeper names it
    ChaosCommand.Schedule led = new ChaosCommand.Schedule(1, victims);
    for (int i = 0; i < kinds; i++) {
      ChaosCommand.Schedule.Next next =
          led.next(outbox -> outbox.equals("mall") ? Optional.of("relay-2") : Optional.empty());
      if (next.victim().kind().equals("relay-leader")) {
        assertThat(next.victim().process()).isEqualTo("relay-2");
      }
    }
  }

  private static List<String> plan(List<Victim> victims, long seed, int n) {
    ChaosCommand.Schedule schedule = new ChaosCommand.Schedule(seed, victims);
    List<String> kills = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ChaosCommand.Schedule.Next next = schedule.next(o -> Optional.empty());
      kills.add(
          next.victim().process()
              + " "
              + next.armed()
              + " "
              + next.restartDelayMs()
              + " "
              + next.gapMs());
    }
    return kills;
  }
}
