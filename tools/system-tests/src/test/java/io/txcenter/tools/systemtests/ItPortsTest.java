package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ITs' free ports come from the descriptors: one range per process, none shared. */
class ItPortsTest {

  private static final Path HOME =
      Path.of(System.getProperty("txc.home", "../..")).toAbsolutePath().normalize();

  @Test
  void givenAnHaTopology_everyDescriptorsPortIsFree_inRangesThatDoNotOverlap() {
    Map<String, Integer> ports = ItPorts.free(HOME, 2, true);

    assertThat(ports)
        .containsOnlyKeys(
            "db",
            "zk",
            "tc",
            "tc.console",
            "points",
            "portal",
            "account",
            "mall",
            "payment",
            "fund",
            "sub",
            "sub-accounting",
            "merchant",
            "notifier",
            // every process's metrics port (extra-port.metrics), the relays' included
            "db.metrics",
            "zk.metrics",
            "tc.metrics",
            "points.metrics",
            "portal.metrics",
            "account.metrics",
            "mall.metrics",
            "payment.metrics",
            "fund.metrics",
            "sub.metrics",
            "sub-accounting.metrics",
            "merchant.metrics",
            "notifier.metrics",
            "relay.metrics")
        .containsEntry("db", 0) // the ITs use the external database
        .containsEntry("db.metrics", 0);
    // the widths the topology uses: zk members' client, peer and election ports; 2 TC nodes,
    // 2 channels, 5 subscriber groups
    Map<String, Integer> widths =
        Map.ofEntries(
            Map.entry("zk", 9),
            Map.entry("tc", 2),
            Map.entry("tc.console", 2),
            Map.entry("points", 2),
            Map.entry("sub", 5),
            Map.entry("zk.metrics", 3),
            Map.entry("tc.metrics", 2),
            Map.entry("points.metrics", 2),
            Map.entry("sub.metrics", 5),
            Map.entry("relay.metrics", 2));
    List<int[]> ranges = new ArrayList<>();
    ports.forEach(
        (name, port) -> {
          if (port != 0) {
            ranges.add(new int[] {port, port + widths.getOrDefault(name, 1) - 1});
          }
        });
    for (int[] a : ranges) {
      for (int[] b : ranges) {
        if (a != b) {
          assertThat(a[1] < b[0] || b[1] < a[0])
              .as("%d-%d and %d-%d overlap", a[0], a[1], b[0], b[1])
              .isTrue();
        }
      }
    }
  }

  @Test
  void givenANewDescriptor_itGetsAFreePortWithoutATestEdit(@TempDir Path home) throws Exception {
    Path descriptor = Path.of("src/main/resources/META-INF/txc/process.properties");
    Path module = Files.createDirectories(home.resolve("participant-loyalty/loyalty-service"));
    Files.writeString(
        module.resolve("pom.xml"), "<project><artifactId>loyalty-service</artifactId></project>");
    Files.createDirectories(module.resolve(descriptor).getParent());
    Files.writeString(
        module.resolve(descriptor),
        "id=loyalty\nstage=participant\ninstances=a,b,c\nport=20950\nextra-port.admin=20960\n");

    Map<String, Integer> ports = ItPorts.free(home, 2, false);

    assertThat(ports).containsOnlyKeys("loyalty", "loyalty.admin");
    assertThat(ports.get("loyalty")).isPositive();
    assertThat(ports.get("loyalty.admin")).isPositive();
  }
}
