package io.txcenter.kit;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Typed settings of one txcenter process: system property {@code txc.a.b}, else environment
 * variable {@code TXC_A_B}, else the default. Bad values fail fast with {@link SettingException}.
 */
public final class Settings {

  private Settings() {}

  public static String string(String key, String defaultValue) {
    String value = raw(key);
    return value == null ? defaultValue : value;
  }

  public static String required(String key) {
    String value = raw(key);
    if (value == null || value.isBlank()) {
      throw new SettingException(key, "is required", value);
    }
    return value;
  }

  public static int port(String key, int defaultValue) {
    long value = longValue(key, defaultValue);
    if (value < 1 || value > 65_535) {
      throw new SettingException(key, "must be a port in [1, 65535]", String.valueOf(value));
    }
    return (int) value;
  }

  public static long longValue(String key, long defaultValue) {
    String value = raw(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new SettingException(key, "must be an integer", value);
    }
  }

  /** {@code true} or {@code false} (any case); anything else fails. */
  public static boolean bool(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new SettingException(key, "must be true or false", value);
    };
  }

  public static Path path(String key, Path defaultValue) {
    String value = raw(key);
    return value == null || value.isBlank() ? defaultValue : Path.of(value);
  }

  /** The run directory of this process: pids, logs, ready markers and data live below it. */
  public static Path runDir() {
    return path("txc.run.dir", Path.of("run")).toAbsolutePath();
  }

  /** ZooKeeper connect string shared by Dubbo, the Seata client and Curator. */
  public static String zookeeper() {
    return string("txc.zk.address", "127.0.0.1:2181");
  }

  private static String raw(String key) {
    String value = System.getProperty(key);
    if (value != null) {
      return value;
    }
    return System.getenv(key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
  }

  /** A setting is missing or malformed; the message names the key and the value. */
  public static final class SettingException extends IllegalArgumentException {
    public SettingException(String key, String rule, String value) {
      super("setting '" + key + "' " + rule + ", was [" + value + "]");
    }
  }
}
