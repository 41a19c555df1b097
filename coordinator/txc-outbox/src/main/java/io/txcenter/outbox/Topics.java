package io.txcenter.outbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The topics an outbox accepts and the tags of each: {@code accompaniment:OPS|CS|ORCH;other:*}
 * ({@code *}: any well-formed tag).
 */
public record Topics(Map<String, Set<String>> tagsByTopic) {

  public static final String TOPIC_PATTERN = "[a-z0-9-]{1,64}";

  public static Topics parse(String text) {
    Map<String, Set<String>> topics = new LinkedHashMap<>();
    for (String entry : text.split(";", -1)) {
      String[] parts = entry.trim().split(":", 2);
      if (parts.length != 2 || !parts[0].matches(TOPIC_PATTERN)) {
        throw new IllegalArgumentException(
            "topics must be <topic>:<TAG>|<TAG>... joined by ';', was [" + text + "]");
      }
      if (topics.containsKey(parts[0])) {
        throw new IllegalArgumentException(
            "topic [" + parts[0] + "] twice in topics [" + text + "]");
      }
      String tags = parts[1].trim();
      if (tags.equals("*")) {
        topics.put(parts[0], Set.of());
        continue;
      }
      Set<String> accepted = new java.util.LinkedHashSet<>();
      for (String tag : tags.split("\\|", -1)) {
        if (!tag.matches(TagExpression.TAG_PATTERN) || !accepted.add(tag)) {
          throw new IllegalArgumentException(
              "bad tag [" + tag + "] (malformed or repeated) in topics [" + text + "]");
        }
      }
      topics.put(parts[0], Set.copyOf(accepted));
    }
    return new Topics(Map.copyOf(topics));
  }

  public boolean knows(String topic) {
    return tagsByTopic.containsKey(topic);
  }

  /** True when {@code topic} accepts {@code tag}. */
  public boolean accepts(String topic, String tag) {
    Set<String> tags = tagsByTopic.get(topic);
    return tags != null
        && tag.matches(TagExpression.TAG_PATTERN)
        && (tags.isEmpty() || tags.contains(tag));
  }
}
