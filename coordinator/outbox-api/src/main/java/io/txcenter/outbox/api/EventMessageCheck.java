package io.txcenter.outbox.api;

import java.util.regex.Pattern;

/**
 * The shape of an {@link EventMessage} a consumer may apply, checked before it touches anything:
 * the relay only sends such messages, so one that is not is forged or corrupt, and is refused as
 * {@link ConsumerException.Code#REJECTED} rather than reaching a column it does not fit.
 */
public final class EventMessageCheck {

  /** Largest payload, in characters: the outbox's own limit on an append. */
  public static final int MAX_PAYLOAD = 16_384;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern TAGS = Pattern.compile("[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*");
  private static final int MAX_TAGS = 128;

  private EventMessageCheck() {}

  /**
   * Refuses a message that the relay would never send: no id, topic, tags or business key of the
   * outbox's form and width, a payload that is not a JSON object of at most {@link #MAX_PAYLOAD}
   * characters, a negative attempt or ready time.
   *
   * @throws ConsumerException {@code REJECTED}, quoting at most 64 characters of any field
   */
  public static void requireWellFormed(EventMessage message) {
    if (message == null) {
      throw rejected("message must not be null");
    }
    requireMatch("messageId", message.messageId(), KEY);
    requireMatch("topic", message.topic(), TOPIC);
    if (message.tags() == null
        || message.tags().length() > MAX_TAGS
        || !TAGS.matcher(message.tags()).matches()) {
      throw rejected(
          "'tags' must be 1 to " + MAX_TAGS + " tags joined by ',', was " + shown(message.tags()));
    }
    requireMatch("businessKey", message.businessKey(), KEY);
    String payload = message.payload();
    if (payload == null
        || payload.length() > MAX_PAYLOAD
        || !payload.strip().startsWith("{")
        || !payload.strip().endsWith("}")) {
      throw rejected(
          "'payload' must be a JSON object of at most "
              + MAX_PAYLOAD
              + " characters, was "
              + shown(payload));
    }
    if (message.attempt() < 0 || message.readyAt() < 0) {
      throw rejected(
          "'attempt' and 'readyAt' must be >= 0, were ["
              + message.attempt()
              + ", "
              + message.readyAt()
              + "]");
    }
  }

  /** {@code value} as a message may quote it: at most 64 characters, then "…", bracketed. */
  public static String shown(String value) {
    if (value == null) {
      return "[null]";
    }
    return "[" + (value.length() <= 64 ? value : value.substring(0, 64) + "…") + "]";
  }

  private static void requireMatch(String name, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw rejected("'" + name + "' must match " + pattern + ", was " + shown(value));
    }
  }

  private static ConsumerException rejected(String message) {
    return new ConsumerException(ConsumerException.Code.REJECTED, message);
  }
}
