package io.txcenter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.kit.Settings;
import org.junit.jupiter.api.Test;

/**
 * The outboxes' JDBC URLs as the launcher renders them for a relay ({@code txc.relay.jdbc.urls}).
 */
class RelayOutboxUrlsTest {

  @Test
  void givenEntriesWhoseUrlsHoldQueryParameters_eachOutboxGetsItsWholeUrl() {
    assertThat(
            RelayMain.outboxUrls(
                "mall=jdbc:mysql://127.0.0.1:3306/txc_mall?a=1&b=2"
                    + "|fund=jdbc:mysql://127.0.0.1:3306/txc_fund?useSSL=false"))
        .containsExactly(
            java.util.Map.entry("mall", "jdbc:mysql://127.0.0.1:3306/txc_mall?a=1&b=2"),
            java.util.Map.entry("fund", "jdbc:mysql://127.0.0.1:3306/txc_fund?useSSL=false"));
  }

  @Test
  void givenNothing_noOutboxHasAUrlFromIt() {
    assertThat(RelayMain.outboxUrls("")).isEmpty();
  }

  @Test
  void givenAnEntryWithoutAName_theSettingIsRefusedNamingIt() {
    assertThatThrownBy(() -> RelayMain.outboxUrls("=jdbc:mysql://x"))
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("txc.relay.jdbc.urls");
    assertThatThrownBy(() -> RelayMain.outboxUrls("mall"))
        .isInstanceOf(Settings.SettingException.class);
  }
}
