package io.txcenter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollPacerTest {

  @Test
  void givenNoWorkYet_theLoopWaitsTheIdlePoll() {
    PollPacer pacer = new PollPacer(10, 100);

    assertThat(List.of(pacer.after(false), pacer.after(false))).containsExactly(100L, 100L);
  }

  @Test
  void afterWork_noWait_thenTheBusyPollDoublingBackToTheIdlePoll() {
    PollPacer pacer = new PollPacer(10, 100);

    List<Long> waits = new ArrayList<>();
    waits.add(pacer.after(true));
    for (int i = 0; i < 7; i++) {
      waits.add(pacer.after(false));
    }

    assertThat(waits).containsExactly(0L, 10L, 20L, 40L, 80L, 100L, 100L, 100L);
  }

  @Test
  void workAgain_startsTheBackOffAfresh() {
    PollPacer pacer = new PollPacer(10, 100);
    pacer.after(true);
    pacer.after(false);
    pacer.after(false);

    assertThat(List.of(pacer.after(true), pacer.after(false))).containsExactly(0L, 10L);
  }

  @Test
  void givenBusyEqualToIdle_thePollIsConstantAfterAnEmptyPass() {
    PollPacer pacer = new PollPacer(100, 100);
    pacer.after(true);

    assertThat(List.of(pacer.after(false), pacer.after(false))).containsExactly(100L, 100L);
  }

  @Test
  void givenABusyPollOutsideOneToTheIdlePoll_itIsRefused() {
    assertThatThrownBy(() -> new PollPacer(0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> new PollPacer(101, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 101");
  }
}
