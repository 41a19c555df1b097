package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.testkit.FreePorts;
import io.txcenter.testkit.ListeningSockets;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.Monitor;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus ({@code bin/txc monitor}'s {@link Monitor}) scraping the running topology: it
 * listens on loopback only, every process is an {@code up} target, and after a few orders the
 * counters of every process kind that does the work have moved. Skipped where the prometheus binary
 * is missing (CI installs Debian's package).
 */
@ExtendWith(SharedTopology.class)
class MonitorIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void prometheusScrapesEveryProcessOnLoopback_andTheCountersMoveAfterOrders() throws Exception {
    assumeTrue(
        Monitor.available(),
        "prometheus not found: apt-get install --no-install-recommends prometheus");
    Monitor monitor =
        new Monitor(SharedTopology.get().topology(), FreePorts.next(), Duration.ofMillis(500));
    try {
      monitor.start(System.out);
      long pid = monitor.running().orElseThrow().pid();
      assertThat(ListeningSockets.of(pid))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.loopback()).as(l.toString()).isTrue());
      int targets = monitor.targets().size();

      Clients clients = SharedTopology.get().clients();
      long user = 900_000 + System.currentTimeMillis() % 50_000;
      clients.points(SharedTopology.A).grant(SharedTopology.A, user, 1_000, "test MonitorIT");
      clients.points(SharedTopology.B).grant(SharedTopology.B, user, 1_000, "test MonitorIT");
      for (int i = 0; i < 3; i++) {
        assertThat(
                clients
                    .mall()
                    .placeOrder(
                        new PlaceOrderRequest(
                            "mon-" + UUID.randomUUID().toString().substring(0, 12),
                            user,
                            List.of(
                                new OrderLine(SharedTopology.A, 2),
                                new OrderLine(SharedTopology.B, 1))))
                    .status())
            .isEqualTo(OrderStatus.CONFIRMED);
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(value(monitor, "count(up == 1)")).isEqualTo(targets);
                assertThat(
                        value(
                            monitor,
                            "sum(txc_global_transactions_total{job=\"mall\","
                                + "outcome=\"committed\"})"))
                    .isGreaterThanOrEqualTo(3);
                assertThat(
                        value(
                            monitor,
                            "sum(txc_branch_phases_total{job=\"points\","
                                + "phase=\"confirm\",outcome=\"ok\"})"))
                    .isGreaterThanOrEqualTo(6);
                assertThat(
                        value(
                            monitor,
                            "sum(txc_branch_phases_total{job=\"portal\","
                                + "phase=\"confirm\",outcome=\"ok\"})"))
                    .isGreaterThanOrEqualTo(3);
                assertThat(value(monitor, "sum(txc_consumer_messages_total{outcome=\"applied\"})"))
                    .isGreaterThanOrEqualTo(3);
                // Seata's own TC counters (SeataTcMetrics) and Dubbo's (DubboNode's MetricsConfig)
                assertThat(
                        value(
                            monitor,
                            "sum(seata_transaction{job=\"tc\",meter=\"counter\","
                                + "status=\"committed\"})"))
                    .isGreaterThanOrEqualTo(3);
                assertThat(
                        value(
                            monitor,
                            "sum(dubbo_provider_requests_total{job=\"points\","
                                + "method=\"tryFreeze\"})"))
                    .isGreaterThanOrEqualTo(6);
                assertThat(jobsWith(monitor, "{__name__=~\"txc_.+\"}"))
                    .containsAll(jobs(monitor))
                    .contains("mall", "points", "portal", "relay", "subscriber", "tc");
              });
    } finally {
      monitor.stop(System.out);
    }
    assertThat(monitor.running()).isEmpty();
  }

  @Test
  void withAnAlertWebhook_anAlertmanagerOnLoopbackOnly_receivesPrometheusAlerts_andPostsThem()
      throws Exception {
    assumeTrue(
        Monitor.available() && Monitor.alertmanagerAvailable(),
        "prometheus or alertmanager not found: apt-get install --no-install-recommends"
            + " prometheus prometheus-alertmanager");
    List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hook.start();
    Monitor monitor =
        new Monitor(
            SharedTopology.get().topology(),
            FreePorts.next(),
            Duration.ofMillis(500),
            FreePorts.next(),
            URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"));
    try {
      monitor.start(System.out);
      long alertmanager = monitor.alertmanagerRunning().orElseThrow().pid();
      // the web port only: no cluster (gossip) port, nothing beyond loopback
      assertThat(ListeningSockets.of(alertmanager))
          .hasSize(1)
          .allSatisfy(l -> assertThat(l.loopback()).as(l.toString()).isTrue());
      // Prometheus sends its alerts there
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> managers =
                    http.send(
                        HttpRequest.newBuilder(URI.create(monitor.url() + "/api/v1/alertmanagers"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(
                        JSON.readTree(managers.body())
                            .at("/data/activeAlertmanagers/0/url")
                            .asText())
                    .startsWith(monitor.alertmanagerUrl() + "/api/v2/alerts");
              });

      // an alert as Prometheus posts it reaches the webhook, grouped by alert and process
      HttpResponse<String> accepted =
          http.send(
              HttpRequest.newBuilder(URI.create(monitor.alertmanagerUrl() + "/api/v2/alerts"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "[{\"labels\":{\"alertname\":\"TxcProcessDown\",\"process\":"
                              + "\"points-ch-a\",\"severity\":\"critical\"},"
                              + "\"annotations\":{\"runbook\":"
                              + "\"docs/operations.md#txcprocessdown\"}}]"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(posted).isNotEmpty();
                JsonNode notification = JSON.readTree(posted.get(0));
                assertThat(notification.get("status").asText()).isEqualTo("firing");
                assertThat(notification.at("/alerts/0/labels/alertname").asText())
                    .isEqualTo("TxcProcessDown");
                assertThat(notification.at("/alerts/0/labels/process").asText())
                    .isEqualTo("points-ch-a");
                assertThat(notification.at("/alerts/0/annotations/runbook").asText())
                    .isEqualTo("docs/operations.md#txcprocessdown");
              });
    } finally {
      monitor.stop(System.out);
      hook.stop(0);
    }
    assertThat(monitor.running()).isEmpty();
    assertThat(monitor.alertmanagerRunning()).isEmpty();
  }

  /** Every process kind of the topology: the scrape jobs. */
  private static Set<String> jobs(Monitor monitor) {
    Set<String> jobs = new TreeSet<>();
    monitor.targets().values().forEach(t -> jobs.add(t.job()));
    return jobs;
  }

  /** The value of an instant query that returns one sample (0 when it returns none). */
  private double value(Monitor monitor, String query) throws Exception {
    JsonNode result = query(monitor, query);
    return result.isEmpty() ? 0 : result.get(0).get("value").get(1).asDouble();
  }

  private Set<String> jobsWith(Monitor monitor, String selector) throws Exception {
    Set<String> jobs = new TreeSet<>();
    query(monitor, "count by (job) (" + selector + ")")
        .forEach(r -> jobs.add(r.get("metric").get("job").asText()));
    return jobs;
  }

  private JsonNode query(Monitor monitor, String query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        monitor.url()
                            + "/api/v1/query?query="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("data").get("result");
  }
}
