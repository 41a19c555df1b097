package io.txcenter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.testkit.ListeningSockets.Listener;
import io.txcenter.testkit.ListeningSockets.Row;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void parsesRealTcpAndTcp6Rows_keepingListenRowsOnly() {
    List<String> tcp =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid "
                + " timeout inode",
            "   0: 0100007F:6448 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106  "
                + "      0 6612 1 00000000d6372906 100 0 0 10 0",
            "   1: 00000000:1F9B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0  "
                + "      0 7001 1 00000000d6372906 100 0 0 10 0",
            "   2: 0100007F:8E2A 0100007F:0CEA 01 00000000:00000000 00:00000000 00000000     0  "
                + "      0 7002 1 00000000d6372906 100 0 0 10 0");
    List<String> tcp6 =
        List.of(
            "   0: 00000000000000000000000001000000:1111 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000   106        0 6320 1 00000000691183a2"
                + " 100 0 0 10 0",
            "   2: 0000000000000000FFFF00000100007F:6B7A 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000     0        0 37028 1 000000001bf48618"
                + " 100 0 0 10 0",
            "   3: 00000000000000000000000000000000:4E35 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000     0        0 37029 1 000000001bf48618"
                + " 100 0 0 10 0");

    List<Row> v4 = ListeningSockets.listenRows(tcp);
    List<Row> v6 = ListeningSockets.listenRows(tcp6);

    assertThat(v4)
        .extracting(r -> r.address().getHostAddress(), Row::port, Row::inode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", 0x6448, 6612L),
            org.assertj.core.groups.Tuple.tuple("0.0.0.0", 0x1F9B, 7001L));
    assertThat(v6)
        .extracting(r -> r.address().getHostAddress(), Row::port, Row::inode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:1", 0x1111, 6320L),
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", 0x6B7A, 37028L),
            org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:0", 0x4E35, 37029L));
    assertThat(v6.get(0).address().isLoopbackAddress()).isTrue();
    assertThat(v6.get(2).address().isLoopbackAddress()).isFalse();
  }

  @Test
  void aMalformedAddressIsATypedError() {
    assertThatThrownBy(() -> ListeningSockets.address("7F0001"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7F0001");
  }

  @Test
  void aSocketOpenedOnLoopback_isFoundAndReportedLoopback() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      List<Listener> mine = onPort(server.getLocalPort());

      assertThat(mine).hasSize(1);
      assertThat(mine.get(0).loopback()).isTrue();
      assertThat(mine.get(0).pid()).isEqualTo(SELF);
    }
    // closed: gone from the kernel's table too
  }

  @Test
  void aSocketOpenedOnTheWildcard_isFoundAndReportedNonLoopback() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(0), 1);
      List<Listener> mine = onPort(server.getLocalPort());

      assertThat(mine).hasSize(1);
      assertThat(mine.get(0).loopback()).isFalse();
      assertThat(mine.get(0).address().isAnyLocalAddress()).isTrue();
    }
  }

  @Test
  void aConnectedSocketIsNotAListener_andAClosedOneIsGone() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Socket client = new Socket("127.0.0.1", server.getLocalPort());
        Socket accepted = server.accept()) {
      port = server.getLocalPort();
      assertThat(ListeningSockets.of(SELF)).filteredOn(l -> l.port() == port).hasSize(1);
      assertThat(client.isConnected() && accepted.isConnected()).isTrue();
    }
    assertThat(onPort(port)).isEmpty();
  }

  @Test
  void aDescendantProcessesListenersCount(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path source = dir.resolve("Listen.java");
    java.nio.file.Files.writeString(
        source,
        "public class Listen { public static void main(String[] a) throws Exception {"
            + " var s = new java.net.ServerSocket(Integer.parseInt(a[0]), 1,"
            + " java.net.InetAddress.getByName(\"127.0.0.1\")); System.in.read(); } }");
    int port = FreePorts.next();
    String launcher =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(launcher, source.toString(), String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(onPort(port))
                      .singleElement()
                      .satisfies(l -> assertThat(l.pid()).isEqualTo(child.pid()))
                      .satisfies(l -> assertThat(l.loopback()).isTrue()));
    } finally {
      child.destroy();
      child.waitFor();
    }
  }

  private static List<Listener> onPort(int port) {
    return ListeningSockets.of(SELF).stream().filter(l -> l.port() == port).toList();
  }
}
