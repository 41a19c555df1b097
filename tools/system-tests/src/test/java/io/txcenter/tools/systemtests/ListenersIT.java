package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.testkit.ListeningSockets;
import io.txcenter.testkit.ListeningSockets.Listener;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every listening TCP socket of every process of the running topology, read from the kernel ({@code
 * /proc}), is on loopback; and every process that serves something does listen, so an empty reading
 * cannot pass. The registrations in ZooKeeper say nothing about this: Dubbo once registered
 * 127.0.0.1 while listening on {@code *}.
 */
@ExtendWith(SharedTopology.class)
class ListenersIT {

  @Test
  void everyListenerOfEveryProcess_isOnLoopback_andEveryServerListens() {
    TopologyConfig config = SharedTopology.get().config();
    Map<String, List<Listener>> listeners = assertLoopbackOnly(SharedTopology.get().topology());

    assertThat(ports(listeners, "zk")).contains(config.zkPort());
    assertThat(ports(listeners, "tc")).contains(config.tcPort(), config.consolePort());
    assertThat(ports(listeners, "mall")).contains(config.port("mall"));
    assertThat(ports(listeners, "payment")).contains(config.port("payment"));
    assertThat(ports(listeners, "portal")).contains(config.port("portal"));
    assertThat(ports(listeners, "account")).contains(config.port("account"));
    assertThat(ports(listeners, "notifier")).contains(config.port("notifier"));
    assertThat(ports(listeners, "merchant")).contains(config.port("merchant"));
    for (String channel : config.channels()) {
      assertThat(ports(listeners, "points-" + channel))
          .contains(config.port("points", config.channels().indexOf(channel)));
    }
    for (String group : TopologyConfig.SUBSCRIBERS.keySet()) {
      assertThat(ports(listeners, "sub-" + group))
          .contains(
              config.port("sub", List.copyOf(TopologyConfig.SUBSCRIBERS.keySet()).indexOf(group)));
    }
    assertThat(ports(listeners, "sub-accounting")).contains(config.port("sub-accounting"));
    // consumers only: a relay serves nothing
    for (String relay : TopologyConfig.RELAYS) {
      assertThat(listeners.get(relay)).as("listeners of %s", relay).isEmpty();
    }
  }

  /**
   * Reads the listeners of every running process of {@code topology} (and its child processes) and
   * fails, naming process, address and port, on any that is not on loopback. Every process must be
   * running.
   */
  static Map<String, List<Listener>> assertLoopbackOnly(Topology topology) {
    Map<String, List<Listener>> all = new LinkedHashMap<>();
    List<String> exposed = new ArrayList<>();
    for (String name : topology.processNames()) {
      long pid =
          topology
              .running(name)
              .orElseThrow(() -> new AssertionError(name + " is not running"))
              .pid();
      List<Listener> listeners = ListeningSockets.of(pid);
      all.put(name, listeners);
      listeners.stream().filter(l -> !l.loopback()).forEach(l -> exposed.add(name + ": " + l));
    }
    System.out.println("listeners: " + all);
    assertThat(exposed).as("listeners not on loopback").isEmpty();
    assertThat(all).isNotEmpty();
    return all;
  }

  private static Set<Integer> ports(Map<String, List<Listener>> listeners, String process) {
    assertThat(listeners).as("processes").containsKey(process);
    return listeners.get(process).stream()
        .map(Listener::port)
        .collect(java.util.stream.Collectors.toSet());
  }
}
