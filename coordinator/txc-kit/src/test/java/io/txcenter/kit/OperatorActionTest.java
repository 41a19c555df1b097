package io.txcenter.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatorActionTest {

  @Test
  void reason_plainTextUpToItsColumn_isAccepted() {
    assertThat(OperatorAction.reasonProblem("demo seed")).isNull();
    assertThat(OperatorAction.reasonProblem("goodwill (ticket #88), per J. O'Neil: 5/5")).isNull();
    assertThat(OperatorAction.reasonProblem("Prämie für Kundin")).isNull();
    assertThat(OperatorAction.reasonProblem("r".repeat(OperatorAction.MAX_REASON))).isNull();
  }

  @Test
  void reason_missingTooLongOrNotPlain_isRefused_withoutEchoingIt() {
    assertThat(OperatorAction.reasonProblem(null)).contains("must be given");
    assertThat(OperatorAction.reasonProblem("  ")).contains("must be given");
    String long129 = "r".repeat(OperatorAction.MAX_REASON + 1);
    assertThat(OperatorAction.reasonProblem(long129)).contains("at most 128").doesNotContain("rrr");
    assertThat(OperatorAction.reasonProblem("a\tb")).contains("plain punctuation");
    assertThat(OperatorAction.reasonProblem("<script>")).doesNotContain("script");
  }

  @Test
  void operator_outsideADubboCall_isLocal() {
    assertThat(OperatorAction.operator()).isEqualTo(OperatorAction.LOCAL);
  }
}
