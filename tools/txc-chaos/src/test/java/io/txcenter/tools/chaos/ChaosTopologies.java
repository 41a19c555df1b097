package io.txcenter.tools.chaos;

import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;

/** The chaos run's topology (HA: three zk members, two TC nodes; chaos settings), for tests. */
final class ChaosTopologies {

  static final Path HOME =
      Path.of(System.getProperty("txc.home", "../..")).toAbsolutePath().normalize();

  private ChaosTopologies() {}

  /** The topology of {@code home}'s descriptors, with an external database (no db process). */
  static Topology chaos(Path home) {
    return chaos(home, false);
  }

  /** The topology of {@code home}'s descriptors; {@code embeddedDb}: it starts the database. */
  static Topology chaos(Path home, boolean embeddedDb) {
    TopologyConfig d = TopologyConfig.defaults(home, home.resolve("run"));
    return new Topology(
        new TopologyConfig(
            d.home(),
            d.runDir(),
            embeddedDb,
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
}
