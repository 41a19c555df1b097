package io.txcenter.outbox;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A subscription's tag filter, as in RocketMQ: {@code *} (every tag), one tag ({@code OPS}) or
 * alternatives ({@code OPS || ORCH}). A message carrying several tags matches when any of them
 * does. Tags are {@code [A-Z0-9_]{1,32}}.
 */
public final class TagExpression {

  public static final String TAG_PATTERN = "[A-Z0-9_]{1,32}";

  private final String text;
  private final Set<String> tags;

  private TagExpression(String text, Set<String> tags) {
    this.text = text;
    this.tags = tags;
  }

  /**
   * @throws IllegalArgumentException naming the expression when it is not {@code *}, a tag, or tags
   *     joined by {@code ||}
   */
  public static TagExpression parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException(
          "tag expression must not be empty, was [" + expression + "]");
    }
    String trimmed = expression.trim();
    if (trimmed.equals("*")) {
      return new TagExpression("*", Set.of());
    }
    Set<String> tags = new LinkedHashSet<>();
    for (String part : trimmed.split("\\|\\|", -1)) {
      String tag = part.trim();
      if (!tag.matches(TAG_PATTERN)) {
        throw new IllegalArgumentException(
            "tag expression must be *, TAG or TAG || TAG ..., with TAG matching "
                + TAG_PATTERN
                + ", was ["
                + expression
                + "]");
      }
      tags.add(tag);
    }
    return new TagExpression(String.join(" || ", tags), Set.copyOf(tags));
  }

  /** True when a message carrying {@code messageTags} (comma-separated) passes this filter. */
  public boolean matches(String messageTags) {
    if (tags.isEmpty()) {
      return true;
    }
    return Arrays.stream(messageTags.split(",")).map(String::trim).anyMatch(tags::contains);
  }

  @Override
  public String toString() {
    return text;
  }
}
