package io.txcenter.kit.fence;

import io.txcenter.kit.DubboNode;
import io.txcenter.kit.Settings;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How long a participant keeps its settled fence rows, and how often it deletes older ones.
 *
 * <p>A settled row ({@code committed}, {@code rollbacked}, {@code suspended}) is what refuses a Try
 * that arrives after its branch's phase two: the Try's insert of {@code tried} collides with it.
 * Once the row is deleted, such a late Try would reserve points or quota that no phase two will
 * ever settle. So the retention must outlast the latest a Try can run: its branch registers before
 * the global transaction times out ({@value #MAX_TIMEOUT_SETTING}, which every initiator's timeout
 * must stay under), and its Dubbo call then runs at most the call timeout ({@link
 * DubboNode#TIMEOUT_SETTING}) per attempt, {@link DubboNode#RETRIES} retries. A margin covers the
 * TC's timeout scan and clocks. {@link #fromSettings()} refuses a retention below that floor, so a
 * too-short setting stops the process at start instead of freezing money later.
 *
 * @param retention settled rows older than this are deleted ({@value #RETENTION_SETTING}, P1D)
 * @param interval the time between two clean passes ({@value #INTERVAL_SETTING}; PT1M, or half the
 *     retention if that is shorter)
 * @param floor the shortest retention the settings allow
 */
public record FenceRetention(Duration retention, Duration interval, Duration floor) {

  public static final String RETENTION_SETTING = "txc.fence.retention";
  public static final String INTERVAL_SETTING = "txc.fence.clean-interval";

  /**
   * The longest global transaction timeout of the topology, in ms (60,000 by default). Set it on
   * every process: initiators refuse a longer timeout, participants keep fence rows longer than it.
   */
  public static final String MAX_TIMEOUT_SETTING = "txc.tx.max-timeout.ms";

  /** Replaced by {@link #RETENTION_SETTING}; refused, so that an old setting is not ignored. */
  static final String FORMER_SETTING = "txc.fence.clean-period";

  static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  /** The TC's timeout scan (1 s), clock differences between hosts, and room to spare. */
  static final Duration MARGIN = Duration.ofMinutes(1);

  public FenceRetention {
    if (retention.compareTo(floor) < 0) {
      throw new Settings.SettingException(
          RETENTION_SETTING,
          "must be at least "
              + floor
              + " (the longest global timeout + the Dubbo timeout per attempt + "
              + MARGIN
              + "), or a late Try could reserve after its row is cleaned",
          retention.toString());
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(retention) > 0) {
      throw new Settings.SettingException(
          INTERVAL_SETTING, "must be in [PT1S, " + retention + "]", interval.toString());
    }
  }

  /** The retention and interval of this process's settings; refuses a retention below the floor. */
  public static FenceRetention fromSettings() {
    if (!Settings.string(FORMER_SETTING, "").isBlank()) {
      throw new Settings.SettingException(
          FORMER_SETTING,
          "was replaced by " + RETENTION_SETTING + " and " + INTERVAL_SETTING,
          Settings.string(FORMER_SETTING, ""));
    }
    Duration retention = duration(RETENTION_SETTING, "P1D");
    // by default a pass a minute, so that each pass deletes a minute of rows (a pass every 2 s
    // under the bench's load cost nothing measurable, one deleting 200,000 rows a quarter of the
    // throughput while it ran: docs/bench/README.md, lever 15), and at least two per retention
    Duration half = retention.dividedBy(2);
    Duration interval =
        Settings.string(INTERVAL_SETTING, "").isBlank()
            ? (half.compareTo(DEFAULT_INTERVAL) < 0 ? half : DEFAULT_INTERVAL)
            : duration(INTERVAL_SETTING, "PT1M");
    return new FenceRetention(retention, interval, computedFloor());
  }

  /** The shortest safe retention under this process's settings (PT2M10S by default). */
  public static Duration computedFloor() {
    Duration perAttempt = Duration.ofMillis(DubboNode.timeoutMillis());
    return Duration.ofMillis(maxGlobalTimeoutMillis())
        .plus(perAttempt.multipliedBy(1L + DubboNode.RETRIES))
        .plus(MARGIN);
  }

  /** {@value #MAX_TIMEOUT_SETTING}: the longest global transaction timeout of the topology. */
  public static long maxGlobalTimeoutMillis() {
    long value = Settings.longValue(MAX_TIMEOUT_SETTING, 60_000);
    if (value < 1_000 || value > 86_400_000) {
      throw new Settings.SettingException(
          MAX_TIMEOUT_SETTING, "must be in [1000, 86400000] ms", String.valueOf(value));
    }
    return value;
  }

  private static Duration duration(String key, String defaultValue) {
    String value = Settings.string(key, defaultValue).trim();
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new Settings.SettingException(key, "must be an ISO-8601 duration such as P1D", value);
    }
  }
}
