package io.txcenter.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddedZooKeeperConfigTest {

  @Test
  void everyPortOfAnEnsembleMember_isOnTheBindHost_andNothingElseListens(@TempDir Path dir)
      throws Exception {
    Properties config =
        EmbeddedZooKeeper.config(
            2181, dir, 2, "1:2181:2184:2187,2:2182:2185:2188,3:2183:2186:2189", "127.0.0.1");

    assertThat(config.getProperty("clientPortAddress")).isEqualTo("127.0.0.1");
    assertThat(config.getProperty("server.1")).isEqualTo("127.0.0.1:2184:2187");
    assertThat(config.getProperty("server.2")).isEqualTo("127.0.0.1:2185:2188");
    assertThat(config.getProperty("server.3")).isEqualTo("127.0.0.1:2186:2189");
    assertThat(config.getProperty("quorumListenOnAllIPs")).isEqualTo("false");
    assertThat(config.getProperty("admin.enableServer")).isEqualTo("false");
    // no Prometheus metrics port, no secure client port
    assertThat(config.stringPropertyNames())
        .noneMatch(k -> k.startsWith("metricsProvider") || k.startsWith("secureClientPort"));
  }

  @Test
  void givenAHostPerMember_thePeersAreWrittenWithTheirHosts_andThisMemberWithItsBindHost(
      @TempDir Path dir) throws Exception {
    Properties config =
        EmbeddedZooKeeper.config(
            2181,
            dir,
            2,
            "1:zk-1-0.zk.txc.svc.cluster.local:2181:2184:2187,"
                + " 2:zk-2-0.zk.txc.svc.cluster.local:2181:2185:2188,"
                + "3:10.0.7.3:2181:2186:2189",
            "10.0.7.2");

    assertThat(config.getProperty("server.1"))
        .isEqualTo("zk-1-0.zk.txc.svc.cluster.local:2184:2187");
    assertThat(config.getProperty("server.2")).isEqualTo("10.0.7.2:2185:2188");
    assertThat(config.getProperty("server.3")).isEqualTo("10.0.7.3:2186:2189");
    assertThat(config.getProperty("clientPortAddress")).isEqualTo("10.0.7.2");
    assertThat(config.getProperty("quorumListenOnAllIPs")).isEqualTo("false");
    assertThat(dir.resolve("data").resolve("myid")).hasContent("2");
  }

  @Test
  void theFourFieldForm_putsEveryMemberOnTheBindHost_andWritesThisMembersId(@TempDir Path dir)
      throws Exception {
    Properties config =
        EmbeddedZooKeeper.config(
            2183, dir, 3, "1:2181:2184:2187,2:2182:2185:2188,3:2183:2186:2189", "10.0.7.2");

    assertThat(config.getProperty("server.1")).isEqualTo("10.0.7.2:2184:2187");
    assertThat(config.getProperty("server.3")).isEqualTo("10.0.7.2:2186:2189");
    assertThat(dir.resolve("data").resolve("myid")).hasContent("3");
  }

  @Test
  void standalone_hasNoServerLines_andNoMyid(@TempDir Path dir) throws Exception {
    Properties config = EmbeddedZooKeeper.config(2181, dir, 0, " ", "127.0.0.1");

    assertThat(config.stringPropertyNames()).noneMatch(k -> k.startsWith("server."));
    assertThat(dir.resolve("data").resolve("myid")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1:2181:2184", // three fields
        "1:zk-1:2181:2184:2187:2190", // six fields
        "1:zk-1:2181:2184:", // an empty election port
        "x:2181:2184:2187", // an id that is not a number
        "0:2181:2184:2187", // id 0
        "-1:2181:2184:2187",
        "256:2181:2184:2187", // above ZooKeeper's 1..255
        "01:2181:2184:2187",
        "1:2181:2184:70000", // a port out of range
        "1:2181:peer:2187",
        "1:zk_1:2181:2184:2187", // '_' is not in a DNS name
        "1:-zk:2181:2184:2187",
        "1:zk-.txc:2181:2184:2187",
        "1:zk..txc:2181:2184:2187",
        "1:zk.txc.:2181:2184:2187",
        "1:256.0.0.1:2181:2184:2187", // looks like IPv4, is not
        "1:10.0.0:2181:2184:2187",
        "1:10.0.0.01:2181:2184:2187",
        "1:12345:2181:2184:2187", // all digits: not a name either
        "1:[::1]:2181:2184:2187", // IPv6 is not taken
        "1::2181:2184:2187", // an empty host
        "1:zk 1:2181:2184:2187"
      })
  void aMalformedMember_isRefused_namingIt(String member, @TempDir Path dir) {
    String ensemble = member + ",2:zk-2:2182:2185:2188";
    assertThatThrownBy(() -> EmbeddedZooKeeper.config(2181, dir, 2, ensemble, "127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + member + "]")
        .hasMessageContaining("ensemble member");
    assertThat(dir.resolve("data").resolve("myid")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zk-1",
        "zk-1-0.zk.txc.svc.cluster.local",
        "ZK1.Example.COM",
        "a",
        "1zk",
        "10.0.0.1",
        "255.255.255.255",
        "host-10.0.0.1.example"
      })
  void aDnsNameOrAnIpv4Literal_isTakenAsTheHost(String host, @TempDir Path dir) throws Exception {
    Properties config =
        EmbeddedZooKeeper.config(
            2182, dir, 2, "1:" + host + ":2181:2184:2187,2:zk-2:2182:2185:2188", "127.0.0.2");

    assertThat(config.getProperty("server.1")).isEqualTo(host + ":2184:2187");
  }

  @Test
  void aLabelOf63Characters_isTaken_oneOf64IsNot(@TempDir Path dir) throws Exception {
    String ok = "z".repeat(63) + ".txc";
    String tooLong = "z".repeat(64) + ".txc";
    assertThat(
            EmbeddedZooKeeper.config(
                    2182, dir, 2, "1:" + ok + ":2181:2184:2187,2:zk-2:2182:2185:2188", "127.0.0.2")
                .getProperty("server.1"))
        .isEqualTo(ok + ":2184:2187");
    assertThatThrownBy(
            () ->
                EmbeddedZooKeeper.config(
                    2182,
                    dir,
                    2,
                    "1:" + tooLong + ":2181:2184:2187,2:zk-2:2182:2185:2188",
                    "127.0.0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tooLong);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1:2181:2184:2187,2:zk-2:2182:2185:2188,3:2183:2186:2189",
        "1:zk-1:2181:2184:2187,2:2182:2185:2188,3:zk-3:2183:2186:2189"
      })
  void theTwoFormsMixed_areRefused(String ensemble, @TempDir Path dir) {
    assertThatThrownBy(() -> EmbeddedZooKeeper.config(2182, dir, 2, ensemble, "127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must all be")
        .hasMessageContaining("[" + ensemble.split(",")[1] + "]");
    assertThat(dir.resolve("data").resolve("myid")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1:2181:2184:2187,2:2182:2185:2188,1:2183:2186:2189",
        "1:zk-1:2181:2184:2187,2:zk-2:2181:2184:2187,2:zk-3:2181:2184:2187"
      })
  void aRepeatedId_isRefused(String ensemble, @TempDir Path dir) {
    assertThatThrownBy(() -> EmbeddedZooKeeper.config(2182, dir, 2, ensemble, "127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unique")
        .hasMessageContaining("[" + ensemble.split(",")[2] + "]");
    assertThat(dir.resolve("data").resolve("myid")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, -2})
  void anOwnIdThatIsNoMember_isRefused(int myId, @TempDir Path dir) {
    for (String ensemble :
        List.of(
            "1:2181:2184:2187,2:2182:2185:2188,3:2183:2186:2189",
            "1:zk-1:2181:2184:2187,2:zk-2:2181:2184:2187,3:zk-3:2181:2184:2187")) {
      assertThatThrownBy(() -> EmbeddedZooKeeper.config(2181, dir, myId, ensemble, "127.0.0.1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("txc.zk.id")
          .hasMessageContaining("[" + myId + "]")
          .hasMessageContaining("[1, 2, 3]");
    }
    assertThat(dir.resolve("data").resolve("myid")).doesNotExist();
  }

  @Test
  void start_refusesABindHostThatIsNotALiteralAddress_beforeAnythingStarts(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                EmbeddedZooKeeper.start(
                    "zk-1.example.com",
                    2181,
                    dir,
                    1,
                    "1:zk-1:2181:2184:2187",
                    List.of("txc:secret"),
                    "default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[zk-1.example.com]");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theBindHostIsTheSetting_andAHostNameIsRefused() {
    String before = System.getProperty("txc.bind.host");
    try {
      System.clearProperty("txc.bind.host");
      assertThat(EmbeddedZooKeeper.bindHost()).isEqualTo("127.0.0.1");
      System.setProperty("txc.bind.host", "127.0.0.7");
      assertThat(EmbeddedZooKeeper.bindHost()).isEqualTo("127.0.0.7");
      System.setProperty("txc.bind.host", "zk.example.com");
      assertThatThrownBy(EmbeddedZooKeeper::bindHost)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("txc.bind.host")
          .hasMessageContaining("zk.example.com");
    } finally {
      if (before == null) {
        System.clearProperty("txc.bind.host");
      } else {
        System.setProperty("txc.bind.host", before);
      }
    }
  }
}
