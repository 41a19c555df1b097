package io.txcenter.merchant;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.txcenter.payment.api.NotificationSignature;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /notify/<merchant>}: what a merchant does with a payment notification. First it
 * checks that the payment platform sent it: the headers {@code X-Txc-Timestamp}, {@code
 * X-Txc-Notification-Id} and {@code X-Txc-Signature} must be present, the timestamp within {@code
 * maxSkewSeconds} of this clock, and the signature the HMAC-SHA256 of {@link
 * NotificationSignature#canonical} with the merchant's key (compared in constant time). Otherwise
 * it answers 401 with a body that is not {@code SUCCESS}, and the notification counts for nothing.
 * A verified notification is then answered 503 for the first {@code failFirst} calls of its
 * payment, 200 {@code SUCCESS} after.
 *
 * <p>The merchant's key: the secret {@code merchant.<merchantId>.key} if present (what a real
 * merchant is given), else {@code Hmac.derive(merchant.master-key, merchantId)} (local mode, where
 * the stub plays every merchant and holds the notifier's master key).
 */
final class MerchantEndpoint implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(MerchantEndpoint.class);
  private static final Pattern PAYMENT = Pattern.compile("\"paymentNo\"\\s*:\\s*\"([^\"]+)\"");

  private final Function<String, Optional<String>> secrets;
  private final int failFirst;
  private final Map<String, AtomicInteger> calls;
  private final Clock clock;
  private final long maxSkewSeconds;

  MerchantEndpoint(
      Function<String, Optional<String>> secrets,
      int failFirst,
      Map<String, AtomicInteger> calls,
      Clock clock,
      long maxSkewSeconds) {
    this.secrets = secrets;
    this.failFirst = failFirst;
    this.calls = calls;
    this.clock = clock;
    this.maxSkewSeconds = maxSkewSeconds;
  }

  /** The endpoint of the process's secrets (file or environment). */
  static MerchantEndpoint fromSecrets(
      int failFirst, Map<String, AtomicInteger> calls, long maxSkewSeconds) {
    if (Secrets.find(NotificationSignature.MASTER_KEY).isEmpty()) {
      log.warn(
          "merchant stub has no master key: only merchants with their own key are verified"
              + " secret={}",
          NotificationSignature.MASTER_KEY);
    }
    return new MerchantEndpoint(Secrets::find, failFirst, calls, Clock.systemUTC(), maxSkewSeconds);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String decoded = exchange.getRequestURI().getPath();
    String merchant = decoded.substring(decoded.lastIndexOf('/') + 1);
    // logged as sent (still percent-encoded): a decoded path could break the log line
    String path = exchange.getRequestURI().getRawPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String refusal = refusal(exchange, merchant, body);
    if (refusal != null) {
      answer(exchange, 401, "unauthorized: " + refusal);
      log.warn("notification refused path={} reason={}", path, refusal);
      return;
    }
    Matcher payment = PAYMENT.matcher(body);
    String paymentNo = payment.find() ? payment.group(1) : "?";
    int call = calls.computeIfAbsent(paymentNo, p -> new AtomicInteger()).incrementAndGet();
    boolean ack = call > failFirst;
    answer(exchange, ack ? 200 : 503, ack ? "SUCCESS" : "busy, try later");
    log.info(
        "notification received path={} payment={} call={} answer={}",
        path,
        paymentNo,
        call,
        ack ? 200 : 503);
  }

  /** Why the notification is not the platform's, or null if it is. */
  private String refusal(HttpExchange exchange, String merchant, String body) {
    String timestamp = exchange.getRequestHeaders().getFirst(NotificationSignature.TIMESTAMP);
    String id = exchange.getRequestHeaders().getFirst(NotificationSignature.NOTIFICATION_ID);
    String signature = exchange.getRequestHeaders().getFirst(NotificationSignature.SIGNATURE);
    if (signature == null || timestamp == null || id == null) {
      return "missing signature headers";
    }
    if (!NotificationSignature.wellFormed(timestamp, id, merchant)) {
      return "malformed signature headers or merchant";
    }
    if (Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) > maxSkewSeconds) {
      return "stale timestamp";
    }
    Optional<String> key = keyOf(merchant);
    if (key.isEmpty()
        || !Hmac.verify(
            key.get(), NotificationSignature.canonical(timestamp, id, merchant, body), signature)) {
      return "bad signature";
    }
    return null;
  }

  private Optional<String> keyOf(String merchant) {
    Optional<String> own = secrets.apply(NotificationSignature.keyName(merchant));
    return own.isPresent()
        ? own
        : secrets.apply(NotificationSignature.MASTER_KEY).map(m -> Hmac.derive(m, merchant));
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] answer = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }
}
