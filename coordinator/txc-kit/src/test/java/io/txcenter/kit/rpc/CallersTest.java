package io.txcenter.kit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallersTest {

  interface Wallet {
    void spend(long amount);

    void spend(long amount, String reason);

    long balance();

    void grant(long amount);
  }

  @Test
  void givenARuleForEveryMethod_theParametersCarryThem() {
    Callers callers =
        Callers.of(Wallet.class)
            .allow("spend", "mall")
            .allow("balance", "operator", "mall")
            .allow("grant", "operator");

    assertThat(callers.parameters())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "txc-allow-spend", "mall",
                "txc-allow-balance", "mall,operator",
                "txc-allow-grant", "operator"));
  }

  @Test
  void givenAMethodWithoutARule_exportFailsNamingIt() {
    Callers callers = Callers.of(Wallet.class).allow("spend", "mall").allow("balance", "mall");

    assertThatThrownBy(callers::parameters)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no caller rule for Wallet methods [grant]");
  }

  @Test
  void givenAnUnknownMethodOrABadIdentity_theRuleIsRefused() {
    assertThatThrownBy(() -> Callers.of(Wallet.class).allow("steal", "mall"))
        .hasMessageContaining("'method' must be a method of Wallet")
        .hasMessageContaining("was [steal]");
    assertThatThrownBy(() -> Callers.of(Wallet.class).allow("spend", "Mall,operator"))
        .hasMessageContaining("'identity' must match");
    assertThatThrownBy(() -> Callers.of(Wallet.class).allow("spend"))
        .hasMessageContaining("'identities' must not be empty");
  }

  @Test
  void permits_matchesWholeIdentitiesOnly() {
    assertThat(Callers.permits("mall,operator", "operator")).isTrue();
    assertThat(Callers.permits("mall,operator", "mal")).isFalse();
    assertThat(Callers.permits(null, "mall")).isFalse();
    assertThat(Callers.permits("mall", null)).isFalse();
  }
}
