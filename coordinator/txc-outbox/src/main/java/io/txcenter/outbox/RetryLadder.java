package io.txcenter.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The delays between delivery attempts of one (message, consumer group): attempt {@code n + 1}
 * waits {@code step(n)} after attempt {@code n} failed; after the last step the delivery is dead.
 * The default is RocketMQ's consumer retry ladder: 16 retries from 10 s to 2 h.
 */
public record RetryLadder(List<Duration> steps) {

  public static final String ROCKETMQ = "10s,30s,1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,20m,30m,1h,2h";

  public RetryLadder {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a retry ladder needs at least one step");
    }
    steps = List.copyOf(steps);
  }

  /**
   * Parses {@code 10s,30s,1m,...} (units ms, s, m, h).
   *
   * @throws IllegalArgumentException naming the bad step
   */
  public static RetryLadder parse(String text) {
    List<Duration> steps = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String step = part.trim();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d{1,7})(ms|s|m|h)").matcher(step);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "retry ladder step must be <number><ms|s|m|h>, was [" + step + "] in [" + text + "]");
      }
      long n = Long.parseLong(m.group(1));
      if (n == 0) {
        throw new IllegalArgumentException(
            "retry ladder step must be > 0, was [" + step + "] in [" + text + "]");
      }
      steps.add(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          });
    }
    return new RetryLadder(steps);
  }

  /** How many retries follow the first attempt. */
  public int retries() {
    return steps.size();
  }

  /** The wait after failed attempt number {@code attempts} (1-based), or null when exhausted. */
  public Duration delayAfter(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("'attempts' must be >= 1, was [" + attempts + "]");
    }
    return attempts <= steps.size() ? steps.get(attempts - 1) : null;
  }
}
