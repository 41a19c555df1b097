package io.txcenter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The dead-letter alert's optional webhook, against a local HTTP endpoint. */
class AlertsTest {

  @Test
  void givenAWebhook_deadLetter_postsTheIdsAsJson() throws IOException {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/alerts",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      Alerts alerts = new Alerts("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");

      alerts.deadLetter("m-1", "orch", "order-9", 17, "REJECTED: blocked");

      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
      assertThat(bodies.get(0))
          .contains("\"alert\":\"dead-letter\"")
          .contains("\"messageId\":\"m-1\"")
          .contains("\"consumerGroup\":\"orch\"")
          .contains("\"businessKey\":\"order-9\"")
          .contains("\"attempts\":17");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void givenAnUnreachableWebhook_deadLetter_doesNotThrow() {
    Alerts alerts = new Alerts("http://127.0.0.1:9/unreachable");

    alerts.deadLetter("m-2", "ops", "order-1", 17, "boom");
  }

  @Test
  void givenTheSameAlertWithinTheRepeatWindow_raise_logsItOnce_andAgainAfterTheWindow() {
    long[] now = {0};
    Alerts alerts = new Alerts("", () -> now[0]);

    assertThat(alerts.raise(Alerts.Key.BAD_SUBSCRIPTION, "t/g", java.util.Map.of("a", 1))).isTrue();
    assertThat(alerts.raise(Alerts.Key.BAD_SUBSCRIPTION, "t/g", java.util.Map.of("a", 1)))
        .isFalse();
    assertThat(alerts.raise(Alerts.Key.BAD_SUBSCRIPTION, "t/other", java.util.Map.of())).isTrue();
    now[0] += Alerts.REPEAT_WINDOW.toNanos();
    assertThat(alerts.raise(Alerts.Key.BAD_SUBSCRIPTION, "t/g", java.util.Map.of("a", 1))).isTrue();
  }

  @Test
  void givenAFieldWithQuotes_theWebhookBody_isValidJson() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/alerts",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      Alerts alerts = new Alerts("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");

      alerts.raise(Alerts.Key.BAD_SUBSCRIPTION, "t/g", java.util.Map.of("group", "g\",\"x\":\"1"));

      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
      com.fasterxml.jackson.databind.JsonNode body =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(bodies.get(0));
      assertThat(body.get("alert").asText()).isEqualTo("bad-subscription");
      assertThat(body.get("group").asText()).isEqualTo("g\",\"x\":\"1");
      assertThat(body.has("x")).isFalse();
    } finally {
      server.stop(0);
    }
  }
}
