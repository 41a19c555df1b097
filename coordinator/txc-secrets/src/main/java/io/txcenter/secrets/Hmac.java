package io.txcenter.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures as URL-safe base64, and their constant-time check. */
public final class Hmac {

  private static final String ALGORITHM = "HmacSHA256";

  private Hmac() {}

  /** The signature of {@code message} with {@code key} (the secret's text, UTF-8). */
  public static String sign(String key, String message) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw(key, message));
  }

  /** True if {@code signature} is {@code message}'s signature with {@code key}; constant time. */
  public static boolean verify(String key, String message, String signature) {
    if (signature == null || key == null || message == null) {
      return false;
    }
    byte[] expected = sign(key, message).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A key derived from {@code masterKey} for {@code purpose} (e.g. one merchant's notification key
   * from the notifier's master key): HMAC-SHA256(master, purpose).
   */
  public static String derive(String masterKey, String purpose) {
    return sign(masterKey, purpose);
  }

  private static byte[] raw(String key, String message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
