package io.txcenter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedReadingTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger reads = new AtomicInteger();
  private final List<RuntimeException> failures = new ArrayList<>();

  @Test
  void gaugesOfOneScrape_shareOneRead_andAnOlderReadingIsTakenAgain() {
    CachedReading<Integer> reading =
        new CachedReading<>(
            Duration.ofSeconds(1), reads::incrementAndGet, 0, failures::add, now::get);

    assertThat(reading.get()).isEqualTo(1);
    now.addAndGet(999);
    assertThat(reading.get()).isEqualTo(1);
    now.addAndGet(1);
    assertThat(reading.get()).isEqualTo(2);
    assertThat(failures).isEmpty();
  }

  @Test
  void aFailedRead_keepsTheLastReading_andIsReported() {
    IllegalStateException down = new IllegalStateException("store down");
    CachedReading<Integer> reading =
        new CachedReading<>(
            Duration.ofSeconds(1),
            () -> {
              if (reads.incrementAndGet() > 1) {
                throw down;
              }
              return 7;
            },
            0,
            failures::add,
            now::get);

    assertThat(reading.get()).isEqualTo(7);
    now.addAndGet(5_000);
    assertThat(reading.get()).isEqualTo(7);
    assertThat(failures).containsExactly(down);
  }
}
