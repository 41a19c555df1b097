package io.txcenter.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTest {

  @Test
  void givenAShortValue_itIsEchoedWhole() {
    assertThat(Echo.cut("o-1")).isEqualTo("o-1");
    assertThat(Echo.cut("x".repeat(64))).isEqualTo("x".repeat(64));
    assertThat(Echo.cut(null)).isEqualTo("null");
  }

  @Test
  void givenAMillionCharacters_only64AreEchoed_withTheLength() {
    String cut = Echo.cut("a".repeat(1_000_000));

    assertThat(cut).isEqualTo("a".repeat(64) + "…(1000000 chars)");
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String value = "a".repeat(63) + "\uD83D\uDE00" + "b".repeat(10);

    assertThat(Echo.cut(value)).isEqualTo("a".repeat(63) + "…(75 chars)");
  }
}
