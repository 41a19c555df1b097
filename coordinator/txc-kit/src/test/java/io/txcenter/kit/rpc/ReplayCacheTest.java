package io.txcenter.kit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.kit.rpc.ReplayCache.Outcome;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {

  @Test
  void givenANonceSeenWithinTheWindow_itIsAReplay_evenFromLaterInTheWindow() {
    ReplayCache cache = new ReplayCache(60_000, 10);

    assertThat(cache.admit("mall", "n-1", 1_000)).isEqualTo(Outcome.FIRST);
    assertThat(cache.admit("mall", "n-1", 1_001)).isEqualTo(Outcome.REPLAYED);
    assertThat(cache.admit("mall", "n-1", 120_999)).isEqualTo(Outcome.REPLAYED);
    // another caller's nonce is its own
    assertThat(cache.admit("payment", "n-1", 2_000)).isEqualTo(Outcome.FIRST);
  }

  @Test
  void givenTwiceTheWindowPassed_theNonceIsForgotten_andTheCacheShrinks() {
    ReplayCache cache = new ReplayCache(60_000, 10);
    cache.admit("mall", "n-1", 0);
    cache.admit("mall", "n-2", 50_000);

    assertThat(cache.admit("mall", "n-3", 120_001)).isEqualTo(Outcome.FIRST);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.admit("mall", "n-2", 120_002)).isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void givenACacheFullOfFreshNonces_newRequestsAreRefused_notForgotten() {
    ReplayCache cache = new ReplayCache(60_000, 2);
    cache.admit("mall", "n-1", 0);
    cache.admit("mall", "n-2", 1);

    assertThat(cache.admit("mall", "n-3", 2)).isEqualTo(Outcome.FULL);
    assertThat(cache.admit("mall", "n-1", 3)).isEqualTo(Outcome.REPLAYED);
    assertThat(cache.admit("mall", "n-3", 120_001)).isEqualTo(Outcome.FIRST);
  }

  @Test
  void givenBadBounds_theyAreRefused() {
    assertThatThrownBy(() -> new ReplayCache(0, 1)).hasMessageContaining("'windowMillis'");
    assertThatThrownBy(() -> new ReplayCache(1, 0)).hasMessageContaining("'capacity'");
  }
}
