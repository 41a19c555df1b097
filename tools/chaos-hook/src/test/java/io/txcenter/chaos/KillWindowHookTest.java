package io.txcenter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.chaos.KillWindowHook.Window;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KillWindowHookTest {

  @TempDir Path chaos;

  @Test
  void givenNothingArmed_noWindowOpens() {
    KillWindowHook hook = new KillWindowHook(chaos, "points-ch-a", 0);

    assertThat(hook.enter(Window.TRY, "xid-1", 1L, "pointsFreeze")).isFalse();
    assertThat(chaos.resolve("hit")).doesNotExist();
  }

  @Test
  void givenConfirmArmed_otherWindowsPass_andTheFirstConfirmClaimsIt_once() throws Exception {
    Files.createDirectories(chaos.resolve("arm"));
    Path arm = chaos.resolve("arm").resolve("points-ch-a");
    Files.writeString(arm, "confirm\n", StandardCharsets.UTF_8);
    KillWindowHook hook = new KillWindowHook(chaos, "points-ch-a", 0);

    assertThat(hook.enter(Window.TRY, "xid-1", 11L, "pointsFreeze")).isFalse();
    assertThat(hook.enter(Window.BETWEEN, "xid-1", 11L, "pointsFreeze")).isFalse();
    assertThat(arm).exists();

    assertThat(hook.enter(Window.CONFIRM, "xid-1", 11L, "pointsFreeze")).isTrue();
    assertThat(arm).doesNotExist();
    assertThat(Files.readString(chaos.resolve("hit").resolve("points-ch-a")))
        .contains("window=confirm", "xid=xid-1", "branch=11", "action=pointsFreeze");

    assertThat(hook.enter(Window.CONFIRM, "xid-2", 12L, "pointsFreeze")).isFalse();
  }

  @Test
  void anArmForAnotherProcess_isNotTaken() throws Exception {
    Files.createDirectories(chaos.resolve("arm"));
    Files.writeString(chaos.resolve("arm").resolve("portal"), "try", StandardCharsets.UTF_8);
    KillWindowHook hook = new KillWindowHook(chaos, "points-ch-a", 0);

    assertThat(hook.enter(Window.TRY, "xid-1", 1L, "pointsFreeze")).isFalse();
    assertThat(chaos.resolve("arm").resolve("portal")).exists();
  }
}
