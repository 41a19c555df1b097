package io.txcenter.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
