package io.txcenter.relay;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's loop over one outbox: while this relay leads ({@code leader}, checked before every
 * pass), an {@link OutboxRelay#pass}; then a wait as long as the {@link PollPacer} says, cut short
 * when a consumer group's delivery task ends. The outbox is a table other processes write and a
 * database gives no portable change notification, so new messages are found by polling: at once
 * after a pass that found work, within milliseconds while there is traffic, every idle poll when
 * there is none.
 */
final class RelayLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

  private final OutboxRelay relay;
  private final BooleanSupplier leader;
  private final PollPacer pacer;

  RelayLoop(OutboxRelay relay, BooleanSupplier leader, PollPacer pacer) {
    this.relay = relay;
    this.leader = leader;
    this.pacer = pacer;
  }

  /** Runs until the thread is interrupted. */
  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      boolean found = false;
      if (leader.getAsBoolean()) {
        try {
          found = relay.pass(); // contains its own failures, step by step
        } catch (RuntimeException e) {
          log.error("relay pass failed", e);
        }
      }
      try {
        relay.awaitWork(pacer.after(found));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
