package io.txcenter.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.payment.api.NotificationSignature;
import io.txcenter.secrets.Hmac;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Calls merchants' callbacks for due notifications: the first attempt as soon as the notification
 * is recorded, then after each step of the ladder, until the merchant answers 200 with body {@code
 * SUCCESS}. Every attempt is logged in {@code notify_attempt}; when the ladder ends the
 * notification is GAVE_UP (an ERROR alert) and the merchant reconciles with {@code queryPayment}.
 *
 * <p>Every attempt is signed with the merchant's key ({@link MerchantKeys}): headers {@code
 * X-Txc-Timestamp} (now, epoch seconds), {@code X-Txc-Notification-Id} (the notification's id, the
 * same on every attempt, so the merchant can deduplicate) and {@code X-Txc-Signature}, the
 * HMAC-SHA256 of {@link NotificationSignature#canonical}.
 *
 * <p>The merchant's answer is read up to {@link #MAX_BODY} bytes; the rest is not read (the
 * exchange is cancelled and the connection closed), and a longer body is no acknowledgement. The
 * whole exchange is bounded by {@link #EXCHANGE_TIMEOUT}.
 *
 * <p>An attempt writes its outcome only if the notification is still as it read it ({@code
 * version}): an operator's {@code notify retry} made during the attempt wins, and the attempt's
 * failure only goes to {@code notify_attempt}. An acknowledgement is a fact about this notification
 * and is written whatever the version, unless it is already ACKED.
 */
public final class MerchantNotifier {

  private static final Logger log = LoggerFactory.getLogger(MerchantNotifier.class);

  /** The most of a merchant's answer that is read, in bytes. */
  public static final int MAX_BODY = 4096;

  /** The longest one exchange (request, answer, the body up to {@link #MAX_BODY}) may take. */
  public static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(10);

  private final JdbcTemplate jdbc;
  private final RetryLadder ladder;
  private final String callbackBase;
  private final MerchantKeys keys;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** {@code callbackBase}: the merchant URL prefix, the merchant id is appended. */
  public MerchantNotifier(
      JdbcTemplate jdbc, RetryLadder ladder, String callbackBase, MerchantKeys keys, Clock clock) {
    this.jdbc = jdbc;
    this.ladder = ladder;
    this.callbackBase = callbackBase.endsWith("/") ? callbackBase : callbackBase + "/";
    this.keys = keys;
    this.clock = clock;
  }

  /** Attempts every due notification once; returns how many were attempted. */
  public int attemptDue() {
    List<Map<String, Object>> due =
        jdbc.queryForList(
            "SELECT id, merchant_id, payment_no, payload, attempts, version FROM merchant_notify"
                + " WHERE state = 'PENDING' AND next_attempt_at <= NOW(3) ORDER BY id LIMIT 50");
    for (Map<String, Object> row : due) {
      attempt(row);
    }
    return due.size();
  }

  private void attempt(Map<String, Object> row) {
    long id = ((Number) row.get("id")).longValue();
    int attempt = ((Number) row.get("attempts")).intValue() + 1;
    long version = ((Number) row.get("version")).longValue();
    String paymentNo = (String) row.get("payment_no");
    Integer status = null;
    String outcome;
    boolean acked = false;
    try {
      String merchant = (String) row.get("merchant_id");
      String payload = (String) row.get("payload");
      String timestamp = Long.toString(clock.instant().getEpochSecond());
      String notificationId = Long.toString(id);
      String signature =
          Hmac.sign(
              keys.keyOf(merchant),
              NotificationSignature.canonical(timestamp, notificationId, merchant, payload));
      CompletableFuture<HttpResponse<Body>> exchange =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(callbackBase + merchant))
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .header(NotificationSignature.TIMESTAMP, timestamp)
                  .header(NotificationSignature.NOTIFICATION_ID, notificationId)
                  .header(NotificationSignature.SIGNATURE, signature)
                  .POST(HttpRequest.BodyPublishers.ofString(payload))
                  .build(),
              info -> new BoundedBody(MAX_BODY));
      HttpResponse<Body> response;
      try {
        response = exchange.get(EXCHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        exchange.cancel(true);
        throw new TimeoutException(
            "no complete answer within " + EXCHANGE_TIMEOUT.toSeconds() + " s");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      status = response.statusCode();
      Body body = response.body();
      acked = status == 200 && !body.truncated() && "SUCCESS".equals(body.text().trim());
      outcome =
          acked
              ? "ACKED"
              : "HTTP " + status + ": " + abbreviate(body.text()) + (body.truncated() ? "…" : "");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      outcome = "ERROR " + abbreviate(e.toString());
    }
    jdbc.update(
        "INSERT INTO notify_attempt (notify_id, attempt, http_status, outcome) VALUES (?, ?, ?, ?)",
        id,
        attempt,
        status,
        outcome);
    if (acked) {
      jdbc.update(
          "UPDATE merchant_notify SET state = 'ACKED', attempts = ?, acked_at = NOW(3),"
              + " version = version + 1 WHERE id = ? AND state <> 'ACKED'",
          attempt,
          id);
      log.info("merchant acknowledged payment={} attempt={}", paymentNo, attempt);
      count("delivered");
      return;
    }
    Duration delay = ladder.retries() >= attempt ? ladder.delayAfter(attempt) : null;
    if (delay == null) {
      if (jdbc.update(
              "UPDATE merchant_notify SET state = 'GAVE_UP', attempts = ?, version = version + 1"
                  + " WHERE id = ? AND version = ? AND state = 'PENDING'",
              attempt,
              id,
              version)
          == 0) {
        changedMeanwhile(paymentNo, id, attempt, outcome);
        return;
      }
      log.error(
          "ALERT merchant notification gave up payment={} merchant={} attempts={} last={}",
          paymentNo,
          row.get("merchant_id"),
          attempt,
          outcome);
      count("failed");
      return;
    }
    if (jdbc.update(
            "UPDATE merchant_notify SET attempts = ?, next_attempt_at = DATE_ADD(NOW(3), INTERVAL ?"
                + " * 1000 MICROSECOND), version = version + 1"
                + " WHERE id = ? AND version = ? AND state = 'PENDING'",
            attempt,
            delay.toMillis(),
            id,
            version)
        == 0) {
      changedMeanwhile(paymentNo, id, attempt, outcome);
      return;
    }
    count("retried");
    log.info(
        "merchant notification failed payment={} attempt={} next_in_ms={} outcome={}",
        paymentNo,
        attempt,
        delay.toMillis(),
        outcome);
  }

  /**
   * {@code txc_notifications_total{outcome}}: delivered (acknowledged), retried (a retry
   * scheduled), failed (gave up); docs/operations.md.
   */
  private static void count(String outcome) {
    Counter.builder("txc.notifications")
        .description("merchant notification attempts by outcome")
        .tag("outcome", outcome)
        .register(Metrics.globalRegistry)
        .increment();
  }

  private static void changedMeanwhile(String paymentNo, long id, int attempt, String outcome) {
    log.info(
        "merchant notification changed during the attempt (operator retry), its state is kept"
            + " payment={} notification={} attempt={} outcome={}",
        paymentNo,
        id,
        attempt,
        outcome);
  }

  /** The first bytes of a merchant's answer, and whether there were more. */
  record Body(String text, boolean truncated) {}

  /**
   * Keeps at most {@code max} bytes of the body; on the first byte beyond, cancels the subscription
   * (the client then closes the connection) and completes, truncated.
   */
  static final class BoundedBody implements HttpResponse.BodySubscriber<Body> {
    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      boolean truncated = false;
      for (ByteBuffer buffer : buffers) {
        int take = Math.min(buffer.remaining(), max - kept.size());
        byte[] bytes = new byte[take];
        buffer.get(bytes);
        kept.write(bytes, 0, take);
        truncated |= buffer.hasRemaining();
      }
      if (truncated) {
        subscription.cancel();
        complete(true);
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable failure) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      complete(false);
    }

    private void complete(boolean truncated) {
      result.complete(new Body(kept.toString(StandardCharsets.UTF_8), truncated));
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200);
  }
}
