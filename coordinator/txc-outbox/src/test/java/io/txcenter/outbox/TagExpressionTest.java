package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagExpressionTest {

  /** The accompaniment subscriptions, as registered by the five subscriber groups. */
  private static final Map<String, TagExpression> SUBSCRIPTIONS = subscriptions();

  private static Map<String, TagExpression> subscriptions() {
    Map<String, TagExpression> subscriptions = new LinkedHashMap<>();
    subscriptions.put("ops", TagExpression.parse("OPS"));
    subscriptions.put("cs", TagExpression.parse("CS"));
    subscriptions.put("orch", TagExpression.parse("ORCH"));
    subscriptions.put("compliance", TagExpression.parse("OPS || ORCH"));
    subscriptions.put("datacenter", TagExpression.parse("*"));
    return subscriptions;
  }

  @Test
  void givenStar_parse_matchesEveryTagSet() {
    TagExpression all = TagExpression.parse("*");

    assertThat(all).hasToString("*");
    assertThat(all.matches("OPS")).isTrue();
    assertThat(all.matches("OPS,CS")).isTrue();
    assertThat(all.matches("ANYTHING_ELSE")).isTrue();
  }

  @Test
  void givenOneTag_parse_matchesOnlyMessagesCarryingIt() {
    TagExpression ops = TagExpression.parse("OPS");

    assertThat(ops).hasToString("OPS");
    assertThat(ops.matches("OPS")).isTrue();
    assertThat(ops.matches("CS,OPS")).isTrue();
    assertThat(ops.matches("CS")).isFalse();
    assertThat(ops.matches("OPSX")).isFalse();
  }

  @Test
  void givenAlternatives_parse_matchesAnyOfThem() {
    TagExpression either = TagExpression.parse("OPS || ORCH");

    assertThat(either).hasToString("OPS || ORCH");
    assertThat(either.matches("OPS")).isTrue();
    assertThat(either.matches("ORCH")).isTrue();
    assertThat(either.matches("CS")).isFalse();
  }

  @Test
  void givenSurroundingAndInnerWhitespace_parse_normalisesIt() {
    assertThat(TagExpression.parse("  OPS||ORCH  ")).hasToString("OPS || ORCH");
    assertThat(TagExpression.parse("\tOPS   ||   ORCH\n")).hasToString("OPS || ORCH");
    assertThat(TagExpression.parse("  *  ")).hasToString("*");
    assertThat(TagExpression.parse(" CS ").matches("CS")).isTrue();
  }

  @Test
  void givenMessageTagsWithSpaces_matches_trimsEachTag() {
    assertThat(TagExpression.parse("CS").matches("OPS, CS")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "   ", "ops", "OPS ||", "|| OPS", "OPS | CS", "A&&B", "OPS,CS", "* || OPS"})
  void givenMalformedExpression_parse_isRefusedNamingIt(String expression) {
    assertThatThrownBy(() -> TagExpression.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + expression + "]");
  }

  @Test
  void givenNull_parse_isRefused() {
    assertThatThrownBy(() -> TagExpression.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[null]");
  }

  @Test
  void givenTagLongerThan32Characters_parse_isRefused() {
    String tooLong = "A".repeat(33);

    assertThat(TagExpression.parse("A".repeat(32))).hasToString("A".repeat(32));
    assertThatThrownBy(() -> TagExpression.parse(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tooLong);
  }

  static Stream<Arguments> accompaniment() {
    return Stream.of(
        // order placed: for operations and customer service
        Arguments.of("OPS,CS", Set.of("ops", "cs", "compliance", "datacenter")),
        // points spent: for the orchestration
        Arguments.of("ORCH", Set.of("orch", "compliance", "datacenter")),
        Arguments.of("OPS", Set.of("ops", "compliance", "datacenter")),
        Arguments.of("CS", Set.of("cs", "datacenter")));
  }

  @ParameterizedTest(name = "tags {0} -> {1}")
  @MethodSource("accompaniment")
  void givenAccompanimentSubscriptions_aMessage_reachesExactlyTheMatchingGroups(
      String messageTags, Set<String> expectedGroups) {
    Set<String> matched = new TreeSet<>();
    SUBSCRIPTIONS.forEach(
        (group, expression) -> {
          if (expression.matches(messageTags)) {
            matched.add(group);
          }
        });

    assertThat(matched).containsExactlyInAnyOrderElementsOf(expectedGroups);
  }
}
