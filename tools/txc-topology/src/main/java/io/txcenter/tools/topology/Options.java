package io.txcenter.tools.topology;

import java.util.Map;

/** Checked reading of a command's {@code --key value} options; errors name the option. */
public final class Options {

  private Options() {}

  /** A whole number in [min, max], or {@code def} when absent. */
  public static int whole(Map<String, String> o, String key, int def, int min, int max) {
    String value = o.getOrDefault(key, String.valueOf(def));
    if (!value.matches("\\d{1,10}") || Long.parseLong(value) < min || Long.parseLong(value) > max) {
      throw new CliException(
          "--"
              + key
              + " must be a whole number in ["
              + min
              + ", "
              + max
              + "], was ["
              + value
              + "]");
    }
    return Integer.parseInt(value);
  }
}
