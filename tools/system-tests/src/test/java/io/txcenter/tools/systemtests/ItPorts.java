package io.txcenter.tools.systemtests;

import io.txcenter.testkit.FreePorts;
import io.txcenter.tools.topology.TopologyConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Free ports for every named port of a test topology (TopologyConfig#ports). */
final class ItPorts {

  private ItPorts() {}

  /**
   * One free port per process, consecutive ones where a descriptor has instances: {@code channels}
   * points processes, the five subscribers, and in HA mode three zk members (client, peer and
   * election ports: nine) and two TC nodes.
   */
  static Map<String, Integer> free(int channels, boolean ha) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("db", 0);
    ports.put("zk", ha ? FreePorts.consecutive(9) : FreePorts.next());
    ports.put("tc", ha ? FreePorts.consecutive(2) : FreePorts.next());
    ports.put("tc.console", ha ? FreePorts.consecutive(2) : FreePorts.next());
    ports.put("points", FreePorts.consecutive(channels));
    ports.put("portal", FreePorts.next());
    ports.put("account", FreePorts.next());
    ports.put("mall", FreePorts.next());
    ports.put("payment", FreePorts.next());
    ports.put("sub", FreePorts.consecutive(TopologyConfig.SUBSCRIBERS.size()));
    ports.put("sub-accounting", FreePorts.next());
    ports.put("merchant", FreePorts.next());
    ports.put("notifier", FreePorts.next());
    return Map.copyOf(ports);
  }
}
