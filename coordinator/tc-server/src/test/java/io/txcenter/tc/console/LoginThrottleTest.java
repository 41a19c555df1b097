package io.txcenter.tc.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle(5, 60_000, 30_000, now::get);

  @Test
  void givenFiveFailuresInTheWindow_theAddressIsLockedOut_andFreeAgainAfterTheLockout() {
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.failed("127.0.0.9")).isFalse();
      now.addAndGet(1_000);
    }
    assertThat(throttle.lockedFor("127.0.0.9")).isZero();
    assertThat(throttle.failed("127.0.0.9")).isTrue();
    assertThat(throttle.lockedFor("127.0.0.9")).isEqualTo(30_000);
    now.addAndGet(29_999);
    assertThat(throttle.lockedFor("127.0.0.9")).isEqualTo(1);
    now.addAndGet(1);
    assertThat(throttle.lockedFor("127.0.0.9")).isZero();
  }

  @Test
  void failuresOlderThanTheWindow_doNotCount() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("a");
    }
    now.addAndGet(60_000);
    assertThat(throttle.failed("a")).isFalse();
    assertThat(throttle.lockedFor("a")).isZero();
  }

  @Test
  void oneAddressLockedOut_leavesAnotherFree_andASuccessClearsFailures() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("a");
    }
    for (int i = 0; i < 4; i++) {
      throttle.failed("b");
    }
    throttle.succeeded("b");
    assertThat(throttle.failed("b")).isFalse();
    assertThat(throttle.lockedFor("a")).isPositive();
    assertThat(throttle.lockedFor("b")).isZero();
  }

  @Test
  void nonsenseLimits_areRefused() {
    assertThatThrownBy(() -> new LoginThrottle(0, 1, 1, now::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFailures");
  }
}
