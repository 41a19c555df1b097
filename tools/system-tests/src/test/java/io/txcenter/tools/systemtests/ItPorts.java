package io.txcenter.tools.systemtests;

import io.txcenter.testkit.FreePorts;
import io.txcenter.tools.topology.ProcessDescriptor;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Free ports for every named port of a test topology (TopologyConfig#ports), derived from the
 * process descriptors of the project at {@code home}: a new service's descriptor gets a free port
 * here without a test edit.
 */
final class ItPorts {

  private ItPorts() {}

  /**
   * One free port per process of each descriptor that declares a port ({@code port}, each {@code
   * extra-port.<name>}), consecutive ones where it has instances ({@code channels} points
   * processes, the five subscribers, in HA mode two TC nodes). A registry with more than one
   * instance (the HA ZooKeeper ensemble) takes three ports per member: client, peer and election
   * ({@link TopologyConfig#zkEnsemble}). A descriptor the topology does not start (the embedded
   * database: the ITs use the external one) gets port 0.
   */
  static Map<String, Integer> free(Path home, int channels, boolean ha) {
    Topology topology = new Topology(shape(home, channels, ha));
    Set<String> started = Set.copyOf(topology.processNames());
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ProcessDescriptor d : topology.descriptors()) {
      List<String> instances = topology.instances(d);
      int processes = Math.max(1, instances.size());
      boolean runs =
          instances.isEmpty()
              ? started.contains(d.id())
              : instances.stream().anyMatch(i -> started.contains(d.id() + "-" + i));
      if (d.get("port") != null) {
        int perProcess = d.get("stage").equals("registry") && processes > 1 ? 3 : 1;
        ports.put(d.id(), runs ? FreePorts.consecutive(processes * perProcess) : 0);
      }
      d.under("extra-port.")
          .keySet()
          .forEach(
              name -> ports.put(d.id() + "." + name, runs ? FreePorts.consecutive(processes) : 0));
    }
    return Map.copyOf(ports);
  }

  /** A topology of the IT's shape (channels, HA), to count each descriptor's processes. */
  private static TopologyConfig shape(Path home, int channels, boolean ha) {
    TopologyConfig defaults = TopologyConfig.defaults(home, home.resolve("run"));
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= channels; i++) {
      names.add("ch-" + i);
    }
    return new TopologyConfig(
        home,
        defaults.runDir(),
        false,
        defaults.dbServerUrl(),
        defaults.dbUser(),
        defaults.dbPassword(),
        defaults.schemaPrefix(),
        defaults.ports(),
        names,
        false,
        ha ? "db" : "file",
        defaults.consoleUser(),
        defaults.consolePassword(),
        defaults.retryLadder(),
        "",
        0,
        ha,
        false);
  }
}
