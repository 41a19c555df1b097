package io.txcenter.kit.validation;

import java.util.function.Function;

/**
 * Argument checks of a service method that throw the service's own typed exception: the caller
 * gives, per check, how a refusal message becomes its API exception (e.g. {@code m -> new
 * AccountException(INVALID_REQUEST, accountId, m)}), and gets the checked value back. Messages name
 * the argument and put the value in brackets, cut by {@link io.txcenter.kit.Echo#cut}, so they are
 * the same in every service.
 *
 * <p>Contract: each method returns its argument unchanged when it passes, and otherwise throws
 * exactly what {@code refusal} returns for the message (never null: a null from {@code refusal} is
 * a {@link NullPointerException}); nothing else is thrown and nothing is logged.
 */
public final class Require {

  private Require() {}

  /**
   * {@code value} if it is not null, else {@code refusal("'name' must not be null")}.
   *
   * @param <T> the argument's type
   * @param <E> the service's API exception
   */
  public static <T, E extends RuntimeException> T present(
      String name, T value, Function<String, E> refusal) {
    if (value == null) {
      throw refusal.apply("'" + name + "' must not be null");
    }
    return value;
  }

  /**
   * {@code value} if it is a business key ({@link Ids#KEY}), else {@code refusal} of {@link
   * Ids#refusal}'s message ({@code 'name' must match RULE, was [value]}).
   */
  public static <E extends RuntimeException> String key(
      String name, String value, Function<String, E> refusal) {
    if (!Ids.isKey(value)) {
      throw refusal.apply(Ids.refusal(name, Ids.KEY, value));
    }
    return value;
  }

  /**
   * {@code value} if it is in {@code [min, max]}, else {@code refusal("'name' must be in [min,
   * max], was [value]")}.
   */
  public static <E extends RuntimeException> long inRange(
      String name, long value, long min, long max, Function<String, E> refusal) {
    if (value < min || value > max) {
      throw refusal.apply(
          "'" + name + "' must be in [" + min + ", " + max + "], was [" + value + "]");
    }
    return value;
  }
}
