package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Monitor;
import io.txcenter.tools.topology.Topology;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The monitor's generated configurations, and the webhook URLs it refuses before starting. */
class MonitorConfigTest {

  private final Topology topology = TopologySpecsTest.topology("default");

  @Test
  void withoutAWebhook_prometheusHasNoAlertmanager() {
    Monitor monitor = new Monitor(topology, 9090, Duration.ofSeconds(2));

    assertThat(monitor.scrapeConfig()).doesNotContain("alerting:").contains("rule_files:");
  }

  @Test
  void withAWebhook_prometheusAlertsTheLoopbackAlertmanager_whichPostsFiringAndResolved() {
    Monitor monitor =
        new Monitor(
            topology, 9090, Duration.ofSeconds(2), 9093, URI.create("https://ops.example/hook"));

    assertThat(monitor.scrapeConfig())
        .contains("alerting:\n  alertmanagers:\n    - static_configs:\n")
        .contains("        - targets: ['127.0.0.1:9093']\n");
    assertThat(monitor.alertmanagerConfig())
        .contains("      - url: 'https://ops.example/hook'\n")
        .contains("        send_resolved: true\n")
        .contains("group_by: ['alertname', 'process', 'outbox']");
  }

  @Test
  void aWebhookThatIsNotAPlainHttpUrl_isRefused() {
    for (String url :
        new String[] {
          "ftp://ops.example/hook",
          "file:///etc/passwd",
          "http://user:secret@ops.example/hook",
          "http://ops.example/hook?token=x",
          "http:///hook",
          "http://ops.example/h'ook"
        }) {
      assertThatThrownBy(
              () -> new Monitor(topology, 9090, Duration.ofSeconds(2), 9093, URI.create(url)))
          .as(url)
          .isInstanceOf(CliException.class)
          .hasMessageContaining("--alert-webhook");
    }
  }

  @Test
  void theAlertmanagerPort_mustDifferFromPrometheus() {
    assertThatThrownBy(
            () ->
                new Monitor(
                    topology, 9090, Duration.ofSeconds(2), 9090, URI.create("http://a.example/")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--alertmanager-port");
  }
}
