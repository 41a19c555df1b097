package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @Test
  void givenTwoTopics_parse_knowsEachWithItsTags() {
    Topics topics = Topics.parse("accompaniment:OPS|CS|ORCH; audit:*");

    assertThat(topics.tagsByTopic()).containsOnlyKeys("accompaniment", "audit");
    assertThat(topics.tagsByTopic().get("accompaniment")).isEqualTo(Set.of("OPS", "CS", "ORCH"));
    assertThat(topics.knows("accompaniment")).isTrue();
    assertThat(topics.knows("audit")).isTrue();
    assertThat(topics.knows("billing")).isFalse();
  }

  @Test
  void givenListedTags_accepts_onlyThose() {
    Topics topics = Topics.parse("accompaniment:OPS|CS|ORCH");

    assertThat(topics.accepts("accompaniment", "OPS")).isTrue();
    assertThat(topics.accepts("accompaniment", "CS")).isTrue();
    assertThat(topics.accepts("accompaniment", "ORCH")).isTrue();
    assertThat(topics.accepts("accompaniment", "BILLING")).isFalse();
    assertThat(topics.accepts("accompaniment", "ops")).isFalse();
    assertThat(topics.accepts("other", "OPS")).isFalse();
  }

  @Test
  void givenStarTopic_accepts_anyWellFormedTagOnly() {
    Topics topics = Topics.parse("audit:*");

    assertThat(topics.accepts("audit", "ANY_TAG_1")).isTrue();
    assertThat(topics.accepts("audit", "lower")).isFalse();
    assertThat(topics.accepts("audit", "")).isFalse();
    assertThat(topics.accepts("audit", "OPS,CS")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"accompaniment", "Accompaniment:OPS", "accompaniment OPS", ":OPS", "a_b:OPS"})
  void givenMalformedTopic_parse_isRefusedNamingTheText(String text) {
    assertThatThrownBy(() -> Topics.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + text + "]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"accompaniment:ops", "accompaniment:OPS||CS", "accompaniment:OPS|C S"})
  void givenMalformedTag_parse_isRefusedNamingTheText(String text) {
    assertThatThrownBy(() -> Topics.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad tag")
        .hasMessageContaining("[" + text + "]");
  }
}
