package io.txcenter.tools.systemtests;

import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixed topologies for the unit tests of the process table (no free ports needed). */
final class TopologyConfigs {

  private TopologyConfigs() {}

  /**
   * The named ports of the record's former components: zk, tc, console, points base, portal,
   * account, mall (payment and fund next to it) and the subscribers' base (sub-accounting, merchant
   * and notifier after the five groups).
   */
  static Map<String, Integer> ports(
      int zk, int tc, int console, int points, int portal, int account, int mall, int sub) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("db", 0);
    ports.put("zk", zk);
    ports.put("tc", tc);
    ports.put("tc.console", console);
    ports.put("points", points);
    ports.put("portal", portal);
    ports.put("account", account);
    ports.put("mall", mall);
    ports.put("payment", mall + 1);
    ports.put("fund", mall + 2);
    ports.put("sub", sub);
    ports.put("sub-accounting", sub + 5);
    ports.put("merchant", sub + 6);
    ports.put("notifier", sub + 7);
    return ports;
  }

  /** HaTopologyIT's shape: three zk members, two TC nodes on the db store, chaos on. */
  static TopologyConfig ha(Path home, Path runDir) {
    return new TopologyConfig(
        home,
        runDir,
        false,
        "jdbc:mysql://127.0.0.1:3306/",
        "root",
        "pw",
        "ha1_",
        ports(31000, 31010, 31020, 31030, 31040, 31041, 31050, 31060),
        List.of("ch-a", "ch-b"),
        true,
        "db",
        "txc-admin",
        "console-pw",
        String.join(",", Collections.nCopies(16, "150ms")),
        "",
        0,
        true,
        true);
  }

  /** SharedTopology's shape: external db, no precheck, a flaky cs subscriber, short ladder. */
  static TopologyConfig it(Path home, Path runDir) {
    return new TopologyConfig(
        home,
        runDir,
        false,
        "jdbc:mysql://127.0.0.1:3306/",
        "root",
        "",
        "it1_",
        ports(32000, 32001, 32002, 32010, 32020, 32021, 32030, 32040),
        List.of("ch-x", "ch-y"),
        false,
        "file",
        "txc-admin",
        "console-pw",
        "1s,2s",
        "cs",
        2,
        false,
        false);
  }
}
