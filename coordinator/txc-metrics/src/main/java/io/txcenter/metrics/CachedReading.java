package io.txcenter.metrics;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A reading that several gauges of one scrape share (one query of a store for all of them): taken
 * at most once per {@code maxAge}; when a read fails, {@code onFailure} hears of it and the last
 * reading stands until the next try, so the scrape still answers.
 */
public final class CachedReading<T> {

  private final long maxAgeMillis;
  private final Supplier<T> read;
  private final Consumer<RuntimeException> onFailure;
  private final LongSupplier clock;
  private volatile T last;
  private volatile long takenAt;
  private volatile boolean taken;

  public CachedReading(
      Duration maxAge, Supplier<T> read, T initial, Consumer<RuntimeException> onFailure) {
    this(maxAge, read, initial, onFailure, System::currentTimeMillis);
  }

  CachedReading(
      Duration maxAge,
      Supplier<T> read,
      T initial,
      Consumer<RuntimeException> onFailure,
      LongSupplier clock) {
    this.maxAgeMillis = maxAge.toMillis();
    this.read = read;
    this.last = initial;
    this.onFailure = onFailure;
    this.clock = clock;
  }

  /** The current reading: the last one if younger than the maximum age, else a new one. */
  public T get() {
    if (taken && clock.getAsLong() - takenAt < maxAgeMillis) {
      return last;
    }
    synchronized (this) {
      long now = clock.getAsLong();
      if (!taken || now - takenAt >= maxAgeMillis) {
        try {
          last = read.get();
        } catch (RuntimeException e) {
          onFailure.accept(e);
        }
        takenAt = now;
        taken = true;
      }
      return last;
    }
  }
}
