package io.txcenter.cli;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** Fixed topologies for the unit tests of the process table (no free ports needed). */
final class TopologyConfigs {

  private TopologyConfigs() {}

  /** HaTopologyIT's shape: three zk members, two TC nodes on the db store, chaos on. */
  static TopologyConfig ha(Path home, Path runDir) {
    return new TopologyConfig(
        home,
        runDir,
        false,
        "jdbc:mysql://127.0.0.1:3306/",
        "root",
        "pw",
        0,
        "ha1_",
        31000,
        31010,
        31020,
        31030,
        31040,
        31041,
        31050,
        List.of("ch-a", "ch-b"),
        true,
        "db",
        "txc-admin",
        "console-pw",
        31060,
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
        0,
        "it1_",
        32000,
        32001,
        32002,
        32010,
        32020,
        32021,
        32030,
        List.of("ch-x", "ch-y"),
        false,
        "file",
        "txc-admin",
        "console-pw",
        32040,
        "1s,2s",
        "cs",
        2,
        false,
        false);
  }
}
