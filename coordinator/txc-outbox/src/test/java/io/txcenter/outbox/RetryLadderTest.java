package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryLadderTest {

  @Test
  void givenRocketMqDefault_parse_gives16StepsFrom10SecondsTo2Hours() {
    RetryLadder ladder = RetryLadder.parse(RetryLadder.ROCKETMQ);

    assertThat(ladder.retries()).isEqualTo(16);
    assertThat(ladder.steps())
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(3),
            Duration.ofMinutes(4),
            Duration.ofMinutes(5),
            Duration.ofMinutes(6),
            Duration.ofMinutes(7),
            Duration.ofMinutes(8),
            Duration.ofMinutes(9),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2));
  }

  @Test
  void givenRocketMqDefault_delayAfter_followsTheLadderThenIsExhausted() {
    RetryLadder ladder = RetryLadder.parse(RetryLadder.ROCKETMQ);

    assertThat(ladder.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(ladder.delayAfter(2)).isEqualTo(Duration.ofSeconds(30));
    assertThat(ladder.delayAfter(12)).isEqualTo(Duration.ofMinutes(10));
    assertThat(ladder.delayAfter(15)).isEqualTo(Duration.ofHours(1));
    assertThat(ladder.delayAfter(16)).isEqualTo(Duration.ofHours(2));
    assertThat(ladder.delayAfter(17)).isNull();
    assertThat(ladder.delayAfter(100)).isNull();
    assertThat(IntStream.rangeClosed(1, 16).mapToObj(ladder::delayAfter).toList())
        .isEqualTo(ladder.steps());
  }

  @Test
  void givenEveryUnit_parse_readsIt() {
    RetryLadder ladder = RetryLadder.parse("250ms, 3s ,2m,1h");

    assertThat(ladder.steps())
        .containsExactly(
            Duration.ofMillis(250),
            Duration.ofSeconds(3),
            Duration.ofMinutes(2),
            Duration.ofHours(1));
    assertThat(ladder.delayAfter(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(ladder.delayAfter(4)).isEqualTo(Duration.ofHours(1));
    assertThat(ladder.delayAfter(5)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "10d", "1.5m", "-1s", "10S", "ten", "s", "12345678s", "10 s"})
  void givenBadStep_parse_isRefusedNamingTheStep(String step) {
    String text = "10s," + step + ",1m";

    assertThatThrownBy(() -> RetryLadder.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + step + "]")
        .hasMessageContaining("[" + text + "]");
  }

  @Test
  void givenEmptyStep_parse_isRefused() {
    assertThatThrownBy(() -> RetryLadder.parse("10s,,1m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was [] in [10s,,1m]");
    assertThatThrownBy(() -> RetryLadder.parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenATrailingCommaAZeroStepOrAttemptZero_areRefused() {
    assertThatThrownBy(() -> RetryLadder.parse("10s,30s,"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryLadder.parse("0s,1s"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryLadder.parse("1s").delayAfter(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenNoSteps_constructor_isRefused() {
    assertThatThrownBy(() -> new RetryLadder(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one step");
  }
}
