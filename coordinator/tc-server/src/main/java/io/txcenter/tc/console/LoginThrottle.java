package io.txcenter.tc.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed console logins per client address and locks an address out for a while once it has
 * failed {@code maxFailures} times within {@code windowMillis}. While an address is locked out
 * every login from it is refused, the right password included: a guesser learns nothing from the
 * answer. The number of tracked addresses is bounded; when it is full, the oldest entry goes.
 */
public final class LoginThrottle {

  private static final int MAX_TRACKED = 10_000;

  private final int maxFailures;
  private final long windowMillis;
  private final long lockoutMillis;
  private final LongSupplier clock;
  private final Map<String, Entry> entries = new HashMap<>();

  public LoginThrottle(int maxFailures, long windowMillis, long lockoutMillis, LongSupplier clock) {
    if (maxFailures < 1 || windowMillis < 1 || lockoutMillis < 1) {
      throw new IllegalArgumentException(
          "login throttle needs maxFailures, window and lockout >= 1, was ["
              + maxFailures
              + ", "
              + windowMillis
              + ", "
              + lockoutMillis
              + "]");
    }
    this.maxFailures = maxFailures;
    this.windowMillis = windowMillis;
    this.lockoutMillis = lockoutMillis;
    this.clock = clock;
  }

  /** Milliseconds until {@code address} may try again; 0 if it may try now. */
  public synchronized long lockedFor(String address) {
    Entry entry = entries.get(address);
    if (entry == null) {
      return 0;
    }
    return Math.max(0, entry.lockedUntil - clock.getAsLong());
  }

  /** Records a failed login of {@code address}; returns true if it is now locked out. */
  public synchronized boolean failed(String address) {
    long now = clock.getAsLong();
    if (!entries.containsKey(address) && entries.size() >= MAX_TRACKED) {
      String oldest = entries.keySet().iterator().next();
      entries.remove(oldest);
    }
    Entry entry = entries.computeIfAbsent(address, a -> new Entry());
    while (!entry.failures.isEmpty() && entry.failures.peekFirst() <= now - windowMillis) {
      entry.failures.pollFirst();
    }
    entry.failures.addLast(now);
    if (entry.failures.size() >= maxFailures) {
      entry.lockedUntil = now + lockoutMillis;
      entry.failures.clear();
      return true;
    }
    return false;
  }

  /** A successful login clears the address's failures. */
  public synchronized void succeeded(String address) {
    entries.remove(address);
  }

  private static final class Entry {
    private final Deque<Long> failures = new ArrayDeque<>();
    private long lockedUntil;
  }
}
