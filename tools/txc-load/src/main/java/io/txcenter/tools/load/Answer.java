package io.txcenter.tools.load;

import java.util.Objects;

/**
 * The final answer the load client got for one key, after its retries: the outcome, the business
 * status the service answered ({@code CONFIRMED}, {@code CANCELLED}, {@code PAID}, {@code FAILED};
 * {@code null} when it answered with an exception), the code of the refusal or error (or the
 * rejection code of a cancelled order), how many attempts were sent, and the outcome the first
 * attempt alone would have been recorded as (what a run without retries would have counted).
 */
public record Answer(
    Kind kind,
    String key,
    LoadCommand.Outcome outcome,
    String status,
    String code,
    int attempts,
    LoadCommand.Outcome first) {

  /** What a key is: an order number, a payment number, a purchase number. */
  public enum Kind {
    ORDER,
    PAYMENT,
    PURCHASE
  }

  public Answer {
    Objects.requireNonNull(kind, "'kind' must not be null");
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(outcome, "'outcome' must not be null");
    Objects.requireNonNull(first, "'first' must not be null");
    if (attempts < 0) {
      throw new IllegalArgumentException("'attempts' must be >= 0, was " + attempts);
    }
  }

  /** The answer of a key sent but not answered yet (or abandoned at the run's bound). */
  static Answer inFlight(Kind kind, String key) {
    return new Answer(
        kind, key, LoadCommand.Outcome.ERROR, null, "IN_FLIGHT", 0, LoadCommand.Outcome.ERROR);
  }

  /** True if the client sent this key more than once. */
  public boolean retried() {
    return attempts > 1;
  }

  /** True if the retries changed the answer from what the first attempt alone gave. */
  public boolean changedByRetry() {
    return retried() && outcome != first;
  }
}
