package io.txcenter.kit.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.kit.Settings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fence's retention floor follows the timeouts, and a shorter retention stops the process. */
class FenceRetentionTest {

  private static final List<String> KEYS =
      List.of(
          FenceRetention.RETENTION_SETTING,
          FenceRetention.INTERVAL_SETTING,
          FenceRetention.MAX_TIMEOUT_SETTING,
          FenceRetention.FORMER_SETTING,
          "txc.dubbo.timeout.ms");

  @AfterEach
  void clearSettings() {
    KEYS.forEach(System::clearProperty);
  }

  @Test
  void
      byDefault_keepsADay_cleansEveryMinute_andTheFloorIsTheLongestTimeoutPlusOneCallPlusAMinute() {
    FenceRetention retention = FenceRetention.fromSettings();

    assertThat(retention.retention()).isEqualTo(Duration.ofDays(1));
    assertThat(retention.interval()).isEqualTo(Duration.ofMinutes(1));
    // 60 s global timeout + 10 s Dubbo call (no retries) + 60 s margin
    assertThat(retention.floor()).isEqualTo(Duration.ofSeconds(130));
  }

  @Test
  void theFloor_followsTheTimeoutSettings() {
    System.setProperty(FenceRetention.MAX_TIMEOUT_SETTING, "300000");
    System.setProperty("txc.dubbo.timeout.ms", "20000");

    assertThat(FenceRetention.computedFloor()).isEqualTo(Duration.ofSeconds(300 + 20 + 60));
  }

  @Test
  void aRetentionAtTheFloor_isAccepted() {
    System.setProperty(FenceRetention.RETENTION_SETTING, "PT2M10S");
    System.setProperty(FenceRetention.INTERVAL_SETTING, "PT5S");

    assertThat(FenceRetention.fromSettings().retention()).isEqualTo(Duration.ofSeconds(130));
  }

  @Test
  void aRetentionShorterThanTwoMinutes_isCleanedTwicePerRetention() {
    System.setProperty(FenceRetention.MAX_TIMEOUT_SETTING, "10000");
    System.setProperty(FenceRetention.RETENTION_SETTING, "PT100S");

    assertThat(FenceRetention.fromSettings().interval()).isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void aRetentionBelowTheFloor_isRefused_namingTheFloor() {
    System.setProperty(FenceRetention.RETENTION_SETTING, "PT2M9S");

    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("txc.fence.retention")
        .hasMessageContaining("PT2M10S")
        .hasMessageContaining("[PT2M9S]");
  }

  @Test
  void raisingTheLongestTimeout_makesAnAcceptedRetentionTooShort() {
    System.setProperty(FenceRetention.RETENTION_SETTING, "PT10M");
    assertThat(FenceRetention.fromSettings().retention()).isEqualTo(Duration.ofMinutes(10));

    System.setProperty(FenceRetention.MAX_TIMEOUT_SETTING, "600000");

    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("PT11M10S");
  }

  @Test
  void malformedOrOutOfRangeSettings_areRefused() {
    System.setProperty(FenceRetention.RETENTION_SETTING, "one day");
    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("ISO-8601");
    System.clearProperty(FenceRetention.RETENTION_SETTING);

    System.setProperty(FenceRetention.INTERVAL_SETTING, "PT0S");
    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("txc.fence.clean-interval");
    System.setProperty(FenceRetention.INTERVAL_SETTING, "P2D");
    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("txc.fence.clean-interval");
    System.clearProperty(FenceRetention.INTERVAL_SETTING);

    System.setProperty(FenceRetention.MAX_TIMEOUT_SETTING, "10");
    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("txc.tx.max-timeout.ms");
  }

  @Test
  void theFormerSetting_isRefusedRatherThanIgnored() {
    System.setProperty(FenceRetention.FORMER_SETTING, "PT10M");

    assertThatThrownBy(FenceRetention::fromSettings)
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("replaced by txc.fence.retention");
  }
}
