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
    for (String entry : text.split(";")) {
      String[] parts = entry.trim().split(":", 2);
      if (parts.length != 2 || !parts[0].matches(TOPIC_PATTERN)) {
        throw new IllegalArgumentException(
            "topics must be <topic>:<TAG>|<TAG>... joined by ';', was [" + text + "]");
      }
      String tags = parts[1].trim();
      if (tags.equals("*")) {
        topics.put(parts[0], Set.of());
        continue;
      }
      for (String tag : tags.split("\\|")) {
        if (!tag.matches(TagExpression.TAG_PATTERN)) {
          throw new IllegalArgumentException("bad tag [" + tag + "] in topics [" + text + "]");
        }
      }
      topics.put(parts[0], Set.of(tags.split("\\|")));
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
