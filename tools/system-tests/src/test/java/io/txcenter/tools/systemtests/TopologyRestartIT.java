package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code up} on a partly running topology restarts exactly the processes that are gone, even when
 * the one killed is not the first of its start stage (a regression: it once paired the restarted
 * process with the wrong name and waited forever).
 */
@ExtendWith(SharedTopology.class)
class TopologyRestartIT {

  @Test
  void givenTheSecondRelayKilled_up_restartsOnlyIt_andEverythingIsReadyAgain() throws Exception {
    Topology topology = SharedTopology.get().topology();
    ProcessHandle relay2 = topology.running("relay-2").orElseThrow();
    long relay1 = topology.running("relay-1").orElseThrow().pid();
    relay2.destroyForcibly();
    relay2.onExit().get();

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    topology.up(new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(topology.allReady()).isTrue();
    assertThat(topology.running("relay-1").orElseThrow().pid()).isEqualTo(relay1);
    assertThat(topology.running("relay-2").orElseThrow().pid()).isNotEqualTo(relay2.pid());
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("relay-1      already running")
        .containsPattern("relay-2 +ready in");
  }
}
