package io.txcenter.kit;

/**
 * Cuts caller input before it is echoed in an error message or a log line: a message never carries
 * more than {@link #MAX} characters of one value, however long the value was.
 */
public final class Echo {

  /** Characters of a value kept in a message. */
  public static final int MAX = 64;

  private Echo() {}

  /**
   * {@code value} as text if it has at most {@link #MAX} characters, else its first {@link #MAX}
   * characters followed by {@code …(N chars)}; {@code "null"} for null.
   */
  public static String cut(Object value) {
    String text = String.valueOf(value);
    if (text.length() <= MAX) {
      return text;
    }
    // never split a surrogate pair: the cut text stays valid UTF-16
    int end = Character.isHighSurrogate(text.charAt(MAX - 1)) ? MAX - 1 : MAX;
    return text.substring(0, end) + "…(" + text.length() + " chars)";
  }
}
