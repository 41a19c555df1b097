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
    Map<String, Integer> metrics = metricsPorts(SharedTopology.get().topology());
    assertThat(metrics.keySet()).containsExactlyInAnyOrderElementsOf(listeners.keySet());
    metrics.forEach(
        (process, port) -> assertThat(ports(listeners, process)).as(process).contains(port));
    // consumers only: a relay serves nothing but its metrics
    for (String relay : TopologyConfig.RELAYS) {
      assertThat(ports(listeners, relay))
          .as("listeners of %s", relay)
          .containsOnly(metrics.get(relay));
    }
  }

  @Test
  void everyProcess_servesItsMetricsOnLoopback_inPrometheusTextFormat() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    Map<String, String> pages = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> process :
        metricsPorts(SharedTopology.get().topology()).entrySet()) {
      java.net.http.HttpResponse<String> page =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + process.getValue() + "/metrics"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(process.getKey()).isEqualTo(200);
      assertThat(page.body()).as(process.getKey()).contains("jvm_memory_used_bytes");
      pages.put(process.getKey(), page.body());
    }
    // the TC's own gauges are there from its start, one series per status
    assertThat(pages.get("tc")).contains("txc_tc_global_sessions{status=\"CommitRetrying\"}");
    // numbers, not NaN (a gauge whose object was collected reads NaN)
    assertThat(pages.get("tc")).containsPattern("txc_tc_oldest_session_seconds [0-9.]+");
    // Dubbo's own metrics, on the same endpoint: a provider's request counters from its export,
    // a consumer's once its references have been used (DubboNode's MetricsConfig, Micrometer's
    // global registry)
    assertThat(pages.get("portal"))
        .containsPattern(
            "dubbo_provider_requests_total\\{[^}]*interface=\"io\\.txcenter\\.portal\\.api\\.");
    assertThat(pages.get("mall")).containsPattern("dubbo_consumer_requests_[a-z_]*total\\{");
    for (String relay : TopologyConfig.RELAYS) {
      assertThat(pages.get(relay))
          .containsPattern("txc_relay_leader\\{outbox=\"mall\"} [01](\\.0)?");
      assertThat(pages.get(relay))
          .containsPattern("txc_outbox_messages\\{outbox=\"mall\",state=\"dead\"} [0-9.]+");
    }
  }

  /** Each process's metrics port, as the launcher set it ({@code txc.metrics.port}). */
  static Map<String, Integer> metricsPorts(Topology topology) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    topology.metricsTargets().forEach((name, target) -> ports.put(name, target.port()));
    assertThat(ports.keySet())
        .as("processes with a metrics port")
        .containsAll(topology.processNames());
    return ports;
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
