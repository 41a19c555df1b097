package io.txcenter.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the alert of a dead letter: an ERROR log line with the ids (the metric is the {@code dead}
 * counter of the outbox), and, when {@code txc.relay.alert-webhook} is set, a JSON POST to it. The
 * webhook is best effort: its failure is logged, never retried, and never blocks delivery.
 */
public final class Alerts {

  private static final Logger log = LoggerFactory.getLogger(Alerts.class);

  private final String webhook;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Alerts(String webhook) {
    this.webhook = webhook == null || webhook.isBlank() ? null : webhook;
  }

  public void deadLetter(
      String messageId, String consumerGroup, String businessKey, int attempts, String error) {
    log.error(
        "ALERT outbox delivery dead-lettered message={} group={} key={} attempts={} error={}",
        messageId,
        consumerGroup,
        businessKey,
        attempts,
        error);
    if (webhook == null) {
      return;
    }
    String body =
        String.format(
            "{\"alert\":\"dead-letter\",\"messageId\":\"%s\",\"consumerGroup\":\"%s\","
                + "\"businessKey\":\"%s\",\"attempts\":%d}",
            messageId, consumerGroup, businessKey, attempts);
    http.sendAsync(
            HttpRequest.newBuilder(URI.create(webhook))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                log.warn("alert webhook failed url={} error={}", webhook, failure.toString());
              }
            });
  }
}
