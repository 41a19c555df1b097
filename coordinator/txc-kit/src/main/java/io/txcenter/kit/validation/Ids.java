package io.txcenter.kit.validation;

import io.txcenter.kit.Echo;
import java.util.regex.Pattern;

/**
 * The identifier rules the services share, in one place: business keys (order, payment, account and
 * bank transaction numbers, merchant ids, outbox business keys), channel-like names (points
 * channels, outbox names, consumer groups) and caller identities.
 *
 * <p>The api jars do not depend on the kit, so they keep their own copies of these rules (e.g.
 * {@code PaymentService.KEY}, {@code EventMessageCheck}); the two must stay equal.
 */
public final class Ids {

  /** Business keys: {@value}. */
  public static final String KEY = "[A-Za-z0-9_-]{1,64}";

  /** Channel ids and other lower-case names: {@value}. */
  public static final String CHANNEL = "[a-z0-9-]{1,32}";

  /** RPC caller identities and operator names: {@value}. */
  public static final String IDENTITY = "[a-z][a-z0-9-]{0,31}";

  private static final Pattern IDENTITY_PATTERN = Pattern.compile(IDENTITY);
  private static final Pattern KEY_PATTERN = Pattern.compile(KEY);
  private static final Pattern CHANNEL_PATTERN = Pattern.compile(CHANNEL);

  private Ids() {}

  /** Whether {@code value} is a non-null business key matching {@link #KEY}. */
  public static boolean isKey(String value) {
    return value != null && KEY_PATTERN.matcher(value).matches();
  }

  /** Whether {@code value} is a non-null caller identity matching {@link #IDENTITY}. */
  public static boolean isIdentity(String value) {
    return value != null && IDENTITY_PATTERN.matcher(value).matches();
  }

  /** Whether {@code value} is a non-null channel id matching {@link #CHANNEL}. */
  public static boolean isChannel(String value) {
    return value != null && CHANNEL_PATTERN.matcher(value).matches();
  }

  /**
   * The refusal message of a field {@code name} that does not match {@code rule}, with the value
   * cut by {@link Echo#cut}: {@code 'name' must match RULE, was [value]}.
   */
  public static String refusal(String name, String rule, String value) {
    return "'" + name + "' must match " + rule + ", was [" + Echo.cut(value) + "]";
  }
}
