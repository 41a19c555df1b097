package io.txcenter.relay;

/**
 * How long the relay's loop waits after a pass: nothing after a pass that found work (there may be
 * more), then {@code busyMillis}, doubled on each further empty pass up to {@code idleMillis}. So a
 * relay with traffic looks again within milliseconds, and one without settles back to the idle poll
 * after a few passes: the idle cost is the idle poll's, however busy it was before. Not
 * thread-safe: one per loop.
 */
final class PollPacer {

  private final long busyMillis;
  private final long idleMillis;
  private long nextEmptyWait;

  /**
   * @throws IllegalArgumentException unless {@code 1 <= busyMillis <= idleMillis}
   */
  PollPacer(long busyMillis, long idleMillis) {
    if (busyMillis < 1 || busyMillis > idleMillis) {
      throw new IllegalArgumentException(
          "busy poll must be in [1, idle poll " + idleMillis + "] ms, was " + busyMillis);
    }
    this.busyMillis = busyMillis;
    this.idleMillis = idleMillis;
    this.nextEmptyWait = idleMillis; // a relay that starts has seen no work yet
  }

  /** The wait after a pass that found work ({@code foundWork}) or none. */
  long after(boolean foundWork) {
    if (foundWork) {
      nextEmptyWait = busyMillis;
      return 0;
    }
    long wait = nextEmptyWait;
    nextEmptyWait = Math.min(idleMillis, nextEmptyWait * 2);
    return wait;
  }
}
