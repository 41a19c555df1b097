package io.txcenter.payment.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The canonical text of a merchant notification: fixed format, fields validated, body last. */
class NotificationSignatureTest {

  @Test
  void givenANotification_theCanonicalText_isVersionTimestampIdMerchantThenTheBody() {
    assertThat(NotificationSignature.canonical("1796300000", "42", "m-tea", "{\"a\":1}"))
        .isEqualTo("txc-merchant-notify-v1\n1796300000\n42\nm-tea\n{\"a\":1}");
  }

  @Test
  void givenAFieldThatCouldCarryASeparator_itCannotBeSigned() {
    assertThat(NotificationSignature.wellFormed("1796300000", "42\nm-x", "m-tea")).isFalse();
    assertThat(NotificationSignature.wellFormed("-5", "42", "m-tea")).isFalse();
    assertThat(NotificationSignature.wellFormed("1796300000", "42", "../admin")).isFalse();
    assertThat(NotificationSignature.wellFormed(null, "42", "m-tea")).isFalse();
    assertThatThrownBy(() -> NotificationSignature.canonical("17", "4\n2", "m", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NotificationSignature.canonical("17", "42", "m", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenTheKeyNames_theyFollowTheSecretsConvention() {
    assertThat(NotificationSignature.keyName("m-tea")).isEqualTo("merchant.m-tea.key");
    assertThat(NotificationSignature.MASTER_KEY).isEqualTo("merchant.master-key");
  }
}
