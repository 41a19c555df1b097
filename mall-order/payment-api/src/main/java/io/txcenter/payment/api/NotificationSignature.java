package io.txcenter.payment.api;

import java.util.regex.Pattern;

/**
 * What the payment platform signs when it notifies a merchant, shared by the notifier (signs) and a
 * merchant's endpoint (checks; here the merchant stub). The request carries {@link #TIMESTAMP}
 * (epoch seconds), {@link #NOTIFICATION_ID} and {@link #SIGNATURE}: HMAC-SHA256 of {@link
 * #canonical} with the merchant's key, URL-safe base64 without padding ({@code
 * io.txcenter.secrets.Hmac}).
 *
 * <p>The merchant's key is the secret {@link #keyName merchant.<merchantId>.key} when it exists,
 * else {@code Hmac.derive(merchant.master-key, merchantId)}: the notifier holds the master key and
 * derives each merchant's key; a merchant is given only its own derived (or explicit) key.
 *
 * <p>The canonical text is a fixed format whose fields are validated, so it parses one way only:
 * the version line, the timestamp (digits), the notification id and the merchant id (both {@code
 * [A-Za-z0-9_-]{1,64}}, no newline possible), each on its own line, then the request body as sent,
 * to the end:
 *
 * <pre>
 * txc-merchant-notify-v1
 * 1796300000
 * 42
 * m-tea-shop
 * {"paymentNo":"pay-1","status":"PAID",...}
 * </pre>
 */
public final class NotificationSignature {

  public static final String VERSION = "txc-merchant-notify-v1";
  public static final String SIGNATURE = "X-Txc-Signature";
  public static final String TIMESTAMP = "X-Txc-Timestamp";
  public static final String NOTIFICATION_ID = "X-Txc-Notification-Id";

  /** The secret the notifier derives every merchant's key from. */
  public static final String MASTER_KEY = "merchant.master-key";

  /** How far a timestamp may be from the merchant's clock, by default: 5 minutes. */
  public static final long DEFAULT_MAX_SKEW_SECONDS = 300;

  private static final Pattern TIME = Pattern.compile("[0-9]{1,12}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private NotificationSignature() {}

  /** The name of merchant {@code merchantId}'s explicit key, which wins over a derived one. */
  public static String keyName(String merchantId) {
    return "merchant." + merchantId + ".key";
  }

  /** True if the fields can be signed: a timestamp of digits, ids matching {@code KEY}. */
  public static boolean wellFormed(String timestamp, String notificationId, String merchantId) {
    return timestamp != null
        && TIME.matcher(timestamp).matches()
        && notificationId != null
        && KEY.matcher(notificationId).matches()
        && merchantId != null
        && KEY.matcher(merchantId).matches();
  }

  /**
   * The text signed for one notification attempt.
   *
   * @throws IllegalArgumentException a field is not {@link #wellFormed}
   */
  public static String canonical(
      String timestamp, String notificationId, String merchantId, String body) {
    if (!wellFormed(timestamp, notificationId, merchantId) || body == null) {
      throw new IllegalArgumentException(
          "notification fields not signable: timestamp=["
              + timestamp
              + "] id=["
              + notificationId
              + "] merchant=["
              + merchantId
              + "]");
    }
    return VERSION + '\n' + timestamp + '\n' + notificationId + '\n' + merchantId + '\n' + body;
  }
}
