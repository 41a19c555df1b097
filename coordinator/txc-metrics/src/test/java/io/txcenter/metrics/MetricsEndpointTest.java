package io.txcenter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Metrics;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void clearSetting() {
    System.clearProperty(MetricsEndpoint.PORT_KEY);
  }

  @Test
  void servesWhatIsRecordedAnywhereInTheProcess_andTheJvm_onTheLoopbackAddressOnly()
      throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(InetAddress.getByName("127.0.0.1"), 0)) {
      Metrics.counter("txc.test.events", "outcome", "ok").increment(3);

      HttpResponse<String> page = get(endpoint.port(), "GET");

      assertThat(endpoint.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(page.body())
          .contains("txc_test_events_total{outcome=\"ok\"} 3.0")
          .contains("jvm_memory_used_bytes")
          .contains("process_uptime_seconds")
          .containsPattern("txc_process_info\\{name=\"[^\"]+\"} 1(\\.0)?");
    }
  }

  @Test
  void afterClose_theGlobalRegistryNoLongerReportsToIt() throws Exception {
    MetricsEndpoint endpoint = MetricsEndpoint.start(InetAddress.getByName("127.0.0.1"), 0);
    endpoint.close();

    Metrics.counter("txc.test.after.close").increment();

    assertThat(Metrics.globalRegistry.getRegistries()).doesNotContain(endpoint.registry());
  }

  @Test
  void onlyGetIsAnswered() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(InetAddress.getByName("127.0.0.1"), 0)) {
      assertThat(get(endpoint.port(), "DELETE").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void withoutAPortSetting_noEndpointStarts() {
    assertThat(MetricsEndpoint.configuredPort()).isEqualTo(-1);
    assertThat(MetricsEndpoint.startFromSettings(InetAddress.getLoopbackAddress())).isNull();
  }

  @Test
  void aMalformedPortSetting_isATypedErrorNamingTheKeyAndValue() {
    for (String bad : new String[] {"abc", "-2", "65536", "80 80"}) {
      System.setProperty(MetricsEndpoint.PORT_KEY, bad);
      assertThatThrownBy(MetricsEndpoint::configuredPort)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("txc.metrics.port")
          .hasMessageContaining("[" + bad + "]");
    }
  }

  private HttpResponse<String> get(int port, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
