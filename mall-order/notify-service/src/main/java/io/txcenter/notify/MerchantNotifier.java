package io.txcenter.notify;

import io.txcenter.outbox.RetryLadder;
import io.txcenter.payment.api.NotificationSignature;
import io.txcenter.secrets.Hmac;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 */
public final class MerchantNotifier {

  private static final Logger log = LoggerFactory.getLogger(MerchantNotifier.class);

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
            "SELECT id, merchant_id, payment_no, payload, attempts FROM merchant_notify"
                + " WHERE state = 'PENDING' AND next_attempt_at <= NOW(3) ORDER BY id LIMIT 50");
    for (Map<String, Object> row : due) {
      attempt(row);
    }
    return due.size();
  }

  private void attempt(Map<String, Object> row) {
    long id = ((Number) row.get("id")).longValue();
    int attempt = ((Number) row.get("attempts")).intValue() + 1;
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
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(callbackBase + merchant))
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .header(NotificationSignature.TIMESTAMP, timestamp)
                  .header(NotificationSignature.NOTIFICATION_ID, notificationId)
                  .header(NotificationSignature.SIGNATURE, signature)
                  .POST(HttpRequest.BodyPublishers.ofString(payload))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      acked = status == 200 && "SUCCESS".equals(response.body().trim());
      outcome = acked ? "ACKED" : "HTTP " + status + ": " + abbreviate(response.body());
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
          "UPDATE merchant_notify SET state = 'ACKED', attempts = ?, acked_at = NOW(3) WHERE id = ?",
          attempt,
          id);
      log.info("merchant acknowledged payment={} attempt={}", paymentNo, attempt);
      return;
    }
    Duration delay = ladder.retries() >= attempt ? ladder.delayAfter(attempt) : null;
    if (delay == null) {
      jdbc.update(
          "UPDATE merchant_notify SET state = 'GAVE_UP', attempts = ? WHERE id = ?", attempt, id);
      log.error(
          "ALERT merchant notification gave up payment={} merchant={} attempts={} last={}",
          paymentNo,
          row.get("merchant_id"),
          attempt,
          outcome);
      return;
    }
    jdbc.update(
        "UPDATE merchant_notify SET attempts = ?, next_attempt_at = DATE_ADD(NOW(3), INTERVAL ? *"
            + " 1000 MICROSECOND) WHERE id = ?",
        attempt,
        delay.toMillis(),
        id);
    log.info(
        "merchant notification failed payment={} attempt={} next_in_ms={} outcome={}",
        paymentNo,
        attempt,
        delay.toMillis(),
        outcome);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200);
  }
}
