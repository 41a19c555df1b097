package io.txcenter.kit.rpc;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nonces seen within the freshness window, bounded: a signed request presented twice is refused
 * the second time. Entries older than the window are dropped (a request that old is refused by its
 * timestamp anyway); when the cache is full of fresh entries, new requests are refused rather than
 * forgetting a nonce that could still be replayed.
 */
public final class ReplayCache {

  private final long windowMillis;
  private final int capacity;
  // insertion order is arrival order: the eldest entries expire first
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  public ReplayCache(long windowMillis, int capacity) {
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("'windowMillis' must be > 0, was " + windowMillis);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("'capacity' must be > 0, was " + capacity);
    }
    this.windowMillis = windowMillis;
    this.capacity = capacity;
  }

  /** The outcome of presenting one nonce. */
  public enum Outcome {
    FIRST,
    REPLAYED,
    FULL
  }

  /**
   * Records {@code nonce} of {@code caller}, seen at {@code nowMillis}; a nonce is remembered for
   * twice the window (a timestamp may be up to one window ahead or behind).
   */
  public synchronized Outcome admit(String caller, String nonce, long nowMillis) {
    expire(nowMillis);
    String key = caller + '\n' + nonce;
    if (seen.containsKey(key)) {
      return Outcome.REPLAYED;
    }
    if (seen.size() >= capacity) {
      return Outcome.FULL;
    }
    seen.put(key, nowMillis);
    return Outcome.FIRST;
  }

  public synchronized int size() {
    return seen.size();
  }

  private void expire(long nowMillis) {
    long oldest = nowMillis - 2 * windowMillis;
    Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() >= oldest) {
        return;
      }
      it.remove();
    }
  }
}
