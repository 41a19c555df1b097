package io.txcenter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void consecutivePorts_lieBelowTheEphemeralRange_areBindable_andNeverHandedOutTwice()
      throws Exception {
    int first = FreePorts.consecutive(9);
    int second = FreePorts.consecutive(9);

    assertThat(first).isBetween(10_000, 32_767 - 9);
    assertThat(second).isBetween(10_000, 32_767 - 9);
    assertThat(Math.abs(first - second)).isGreaterThanOrEqualTo(9);
    for (int i = 0; i < 9; i++) {
      try (ServerSocket socket = new ServerSocket(first + i, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(first + i);
      }
    }
  }

  @Test
  void manySinglePorts_areAllDistinct() {
    java.util.Set<Integer> ports = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      assertThat(ports.add(FreePorts.next())).isTrue();
    }
  }
}
