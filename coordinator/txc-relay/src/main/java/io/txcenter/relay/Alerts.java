package io.txcenter.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the relay's alerts: an ERROR log line {@code ALERT <key> …} with the ids, and, when {@code
 * txc.relay.alert-webhook} is set, a JSON POST to it. The webhook is best effort: its failure is
 * logged, never retried, and never blocks delivery. The same (key, subject) raised again within
 * {@link #REPEAT_WINDOW} (a bad subscription is seen on every cycle) is not logged or posted again;
 * the relay also records every alert in the outbox's {@code outbox_alert} table, which counts the
 * repeats.
 */
public final class Alerts {

  /** The kinds of alert. */
  public enum Key {
    /** A delivery exhausted its retry ladder. */
    DEAD_LETTER("dead-letter"),
    /** A subscription node cannot be used (group name or tag expression); it is skipped. */
    BAD_SUBSCRIPTION("bad-subscription"),
    /** A READY message matched no subscription at fan-out; it waits for one. */
    NO_SUBSCRIPTION("no-subscription"),
    /** A step of a cycle failed for one branch, topic, message or group; the others went on. */
    STEP_FAILED("step-failed");

    private final String wire;

    Key(String wire) {
      this.wire = wire;
    }

    /** The name in the log line and the webhook's {@code alert} field. */
    public String wire() {
      return wire;
    }
  }

  /** How long a repeat of the same (key, subject) stays silent in the log and the webhook. */
  public static final Duration REPEAT_WINDOW = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(Alerts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String webhook;
  private final LongSupplier nanoClock;
  private final Map<String, Long> lastRaised = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Alerts(String webhook) {
    this(webhook, System::nanoTime);
  }

  Alerts(String webhook, LongSupplier nanoClock) {
    this.webhook = webhook == null || webhook.isBlank() ? null : webhook;
    this.nanoClock = nanoClock;
  }

  public void deadLetter(
      String messageId, String consumerGroup, String businessKey, int attempts, String error) {
    // each dead letter is its own event: no repeat window; the log line is the one operators grep
    log.error(
        "ALERT outbox delivery dead-lettered message={} group={} key={} attempts={} error={}",
        messageId,
        consumerGroup,
        businessKey,
        attempts,
        error);
    if (webhook != null) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("messageId", messageId);
      fields.put("consumerGroup", consumerGroup);
      fields.put("businessKey", businessKey);
      fields.put("attempts", attempts);
      post(Key.DEAD_LETTER, fields);
    }
  }

  /**
   * Raises {@code key} about {@code subject}: logs and posts {@code fields} unless the same (key,
   * subject) was raised within {@link #REPEAT_WINDOW}. Returns true when it was logged.
   */
  public boolean raise(Key key, String subject, Map<String, ?> fields) {
    long now = nanoClock.getAsLong();
    String id = key + " " + subject;
    Long last = lastRaised.get(id);
    if (last != null && now - last < REPEAT_WINDOW.toNanos()) {
      return false;
    }
    lastRaised.put(id, now);
    if (lastRaised.size() > 10_000) {
      lastRaised.clear(); // bounded memory; at worst a repeat is logged once more
    }
    StringBuilder line = new StringBuilder("ALERT outbox ").append(key.wire());
    fields.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
    log.error(line.toString());
    if (webhook != null) {
      post(key, fields);
    }
    return true;
  }

  private void post(Key key, Map<String, ?> fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alert", key.wire());
    fields.forEach(
        (name, value) -> {
          if (!"error".equals(name)) {
            body.put(name, value);
          }
        });
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      log.warn("alert webhook body not serialisable error={}", e.toString());
      return;
    }
    http.sendAsync(
            HttpRequest.newBuilder(URI.create(webhook))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
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
