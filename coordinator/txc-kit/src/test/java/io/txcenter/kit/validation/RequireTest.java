package io.txcenter.kit.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RequireTest {

  /** A service's typed exception, as the api jars declare them. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private static final Function<String, Refused> REFUSE = Refused::new;

  @Test
  void givenValidValues_eachCheck_returnsItsArgument() {
    Object request = new Object();

    assertThat(Require.present("request", request, REFUSE)).isSameAs(request);
    assertThat(Require.key("accountId", "acc-1_X", REFUSE)).isEqualTo("acc-1_X");
    assertThat(Require.inRange("amount", 1, 1, 10, REFUSE)).isEqualTo(1);
    assertThat(Require.inRange("amount", 10, 1, 10, REFUSE)).isEqualTo(10);
  }

  @Test
  void givenNull_present_throwsTheServicesExceptionNamingTheArgument() {
    assertThatThrownBy(() -> Require.present("request", null, REFUSE))
        .isExactlyInstanceOf(Refused.class)
        .hasMessage("'request' must not be null");
  }

  @Test
  void givenABadKey_key_throwsTheServicesExceptionWithTheCutValue() {
    assertThatThrownBy(() -> Require.key("bizNo", "bad biz!", REFUSE))
        .isExactlyInstanceOf(Refused.class)
        .hasMessage("'bizNo' must match " + Ids.KEY + ", was [bad biz!]");
    assertThatThrownBy(() -> Require.key("bizNo", null, REFUSE))
        .hasMessage("'bizNo' must match " + Ids.KEY + ", was [null]");
    assertThatThrownBy(() -> Require.key("bizNo", "b".repeat(100_000), REFUSE))
        .hasMessageEndingWith("b".repeat(64) + "…(100000 chars)]");
  }

  @Test
  void givenAnAmountOutsideItsRange_inRange_throwsTheServicesExceptionWithTheBounds() {
    assertThatThrownBy(() -> Require.inRange("amount", 0, 1, 10, REFUSE))
        .isExactlyInstanceOf(Refused.class)
        .hasMessage("'amount' must be in [1, 10], was [0]");
    assertThatThrownBy(() -> Require.inRange("amount", 11, 1, 10, REFUSE))
        .hasMessage("'amount' must be in [1, 10], was [11]");
  }
}
