package io.txcenter.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ensemble members in this JVM, each on its own loopback address (127.0.0.1..3, as three
 * hosts) with the same three ports, configured in the host-per-member form of {@code
 * txc.zk.ensemble}: they form one quorum only if each finds the others at their own hosts.
 */
class EnsembleAcrossHostsIT {

  private static final String CREDENTIAL = "txc:" + UUID.randomUUID();
  private static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

  @TempDir static Path dir;
  private static int clientPort;
  private static int peerPort;
  private static int electionPort;
  private static final List<EmbeddedZooKeeper> members = new ArrayList<>();

  @BeforeAll
  static void startTheEnsemble() throws Exception {
    clientPort = portFreeOnEveryHost(List.of());
    peerPort = portFreeOnEveryHost(List.of(clientPort));
    electionPort = portFreeOnEveryHost(List.of(clientPort, peerPort));
    List<String> ensemble = new ArrayList<>();
    for (int i = 0; i < HOSTS.size(); i++) {
      ensemble.add(
          (i + 1) + ":" + HOSTS.get(i) + ":" + clientPort + ":" + peerPort + ":" + electionPort);
    }
    // each start returns only once the quorum has formed, so all three start at once
    ExecutorService starters = Executors.newFixedThreadPool(HOSTS.size());
    try {
      List<Future<EmbeddedZooKeeper>> started = new ArrayList<>();
      for (int i = 0; i < HOSTS.size(); i++) {
        int id = i + 1;
        String host = HOSTS.get(i);
        started.add(
            starters.submit(
                () ->
                    EmbeddedZooKeeper.start(
                        host,
                        clientPort,
                        dir.resolve("zk-" + id),
                        id,
                        String.join(",", ensemble),
                        List.of(CREDENTIAL),
                        "default")));
      }
      for (Future<EmbeddedZooKeeper> member : started) {
        members.add(member.get(150, TimeUnit.SECONDS));
      }
    } finally {
      starters.shutdownNow();
    }
  }

  @AfterAll
  static void stop() {
    members.forEach(EmbeddedZooKeeper::close);
  }

  @Test
  void everyMember_servesOnItsOwnHost_andTheyAreOneQuorum_withOneLeader() throws Exception {
    List<String> modes = new ArrayList<>();
    for (int i = 0; i < HOSTS.size(); i++) {
      assertThat(members.get(i).connectString()).isEqualTo(HOSTS.get(i) + ":" + clientPort);
      assertThat(fourLetterWord(HOSTS.get(i), "ruok")).isEqualTo("imok");
      // srvr is answered whatever the whitelist says (RegistryAuthIT); its Mode line is the role
      String srvr = fourLetterWord(HOSTS.get(i), "srvr");
      modes.add(srvr.lines().filter(l -> l.startsWith("Mode: ")).findFirst().orElse(srvr));
    }
    assertThat(modes).containsExactlyInAnyOrder("Mode: leader", "Mode: follower", "Mode: follower");
  }

  @Test
  void aWriteThroughOneMember_isReadThroughTheOthers() throws Exception {
    String path = "/txc/it-" + UUID.randomUUID();
    byte[] data = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    try (ZooKeeper first = connect(members.get(0).connectString())) {
      first.create(path, data, RegistryAcls.aclFor(List.of(CREDENTIAL)), CreateMode.PERSISTENT);
    }
    for (EmbeddedZooKeeper other : members.subList(1, members.size())) {
      try (ZooKeeper zk = connect(other.connectString())) {
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(zk.getData(path, false, null)).isEqualTo(data));
      }
    }
  }

  @Test
  void noMemberListens_onAnAddressOtherThanItsOwn() {
    // 127.0.0.4 is loopback too: a wildcard listener (quorumListenOnAllIPs) would answer there
    for (int port : List.of(clientPort, peerPort, electionPort)) {
      assertThat(accepts("127.0.0.4", port)).as("127.0.0.4:%d", port).isFalse();
    }
  }

  // -- helpers

  private static ZooKeeper connect(String connectString) throws Exception {
    ZKClientConfig clientConfig = new ZKClientConfig();
    clientConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    ZooKeeper zk = new ZooKeeper(connectString, 10_000, event -> {}, clientConfig);
    zk.addAuthInfo("digest", CREDENTIAL.getBytes(StandardCharsets.UTF_8));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> zk.getState() == ZooKeeper.States.CONNECTED || !zk.getState().isAlive());
    assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
    return zk;
  }

  private static String fourLetterWord(String host, String word) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, clientPort), 2_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port no one listens on at any of {@link #HOSTS}, not one of {@code taken}. */
  private static int portFreeOnEveryHost(List<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOSTS.get(0)))) {
        port = socket.getLocalPort();
      }
      if (!taken.contains(port) && HOSTS.stream().allMatch(h -> bindable(h, port))) {
        return port;
      }
    }
    throw new IllegalStateException("no port free on all of " + HOSTS);
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
