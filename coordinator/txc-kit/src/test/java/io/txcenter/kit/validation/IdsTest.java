package io.txcenter.kit.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void keyAcceptsOneToSixtyFourCharactersOfItsCharset() {
    assertThat(Ids.isKey("a")).isTrue();
    assertThat(Ids.isKey("Az09_-")).isTrue();
    assertThat(Ids.isKey("k".repeat(64))).isTrue();
  }

  @Test
  void keyRefusesNullEmptyTooLongAndForeignCharacters() {
    assertThat(Ids.isKey(null)).isFalse();
    assertThat(Ids.isKey("")).isFalse();
    assertThat(Ids.isKey("k".repeat(65))).isFalse();
    assertThat(Ids.isKey("a b")).isFalse();
    assertThat(Ids.isKey("a.b")).isFalse();
    assertThat(Ids.isKey("ä")).isFalse();
    assertThat(Ids.isKey("a\n")).isFalse();
  }

  @Test
  void channelAcceptsOneToThirtyTwoLowerCaseCharacters() {
    assertThat(Ids.isChannel("c")).isTrue();
    assertThat(Ids.isChannel("ch-01")).isTrue();
    assertThat(Ids.isChannel("c".repeat(32))).isTrue();
  }

  @Test
  void channelRefusesNullEmptyTooLongUpperCaseAndUnderscore() {
    assertThat(Ids.isChannel(null)).isFalse();
    assertThat(Ids.isChannel("")).isFalse();
    assertThat(Ids.isChannel("c".repeat(33))).isFalse();
    assertThat(Ids.isChannel("Ch")).isFalse();
    assertThat(Ids.isChannel("ch_1")).isFalse();
    assertThat(Ids.isChannel("ch\n")).isFalse();
  }

  @Test
  void refusalCutsTheValue() {
    assertThat(Ids.refusal("orderNo", Ids.KEY, "o".repeat(100)))
        .isEqualTo(
            "'orderNo' must match [A-Za-z0-9_-]{1,64}, was [" + "o".repeat(64) + "…(100 chars)]");
    assertThat(Ids.refusal("orderNo", Ids.KEY, null))
        .isEqualTo("'orderNo' must match [A-Za-z0-9_-]{1,64}, was [null]");
  }
}
