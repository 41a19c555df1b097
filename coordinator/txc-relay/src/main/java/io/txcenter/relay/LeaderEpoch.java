package io.txcenter.relay;

import io.txcenter.outbox.OutboxDeliveryMapper;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fencing token of a relay's leadership over one outbox: the epoch in that outbox's {@code
 * relay_leader} row, raised by each new leader before its first pass, and carried by every write
 * the relay makes to the outbox.
 *
 * <p>Why: ZooKeeper's latch alone cannot stop a leader that was paused (a long GC, a frozen VM,
 * SIGSTOP) past its session: when it wakes, it may act for a moment on what it read before, beside
 * the new leader, before Curator tells it the latch is lost. The database is where its writes land,
 * so the check is made there, in the same transaction as the writes ({@link #inTransaction}: every
 * mark of a delivery, check-back, fan-out, dead-lettering), under a shared lock on the row. The new
 * leader's raise takes the row's exclusive lock: it waits for a write of the former leader already
 * in flight, and every later one finds another epoch and changes nothing.
 *
 * <p>Life cycle: {@link #granted} when the latch makes this relay leader (Curator's listener);
 * {@link #acquire} by the relay loop before its first pass of that leadership (it raises the
 * epoch); {@link #revoke} when the latch is lost, or when a write finds the epoch gone ({@link
 * #fenced}). After a revoke the relay raises the epoch again only on a new grant from the latch, so
 * a former leader that woke up cannot take the outbox back from the new one.
 */
public final class LeaderEpoch {

  private static final Logger log = LoggerFactory.getLogger(LeaderEpoch.class);

  /** Thrown by a write whose epoch is no longer the outbox's: another relay leads. */
  public static final class FencedException extends RuntimeException {
    FencedException(String message) {
      super(message);
    }
  }

  private final String outbox;
  private final String holder;
  private final OutboxDeliveryMapper store;
  private final TransactionTemplate transactions;

  /** The epoch this relay holds, 0 when none. */
  private final AtomicLong epoch = new AtomicLong();

  /** Grants by the latch, and the grant the current epoch was raised for. */
  private final AtomicLong grants = new AtomicLong();

  private final AtomicLong raisedFor = new AtomicLong();

  public LeaderEpoch(
      String outbox, String holder, OutboxDeliveryMapper store, TransactionTemplate transactions) {
    this.outbox = outbox;
    this.holder = holder;
    this.store = store;
    this.transactions = transactions;
  }

  /** The latch made this relay leader: the next {@link #acquire} raises the epoch. */
  public void granted() {
    grants.incrementAndGet();
  }

  /** The latch is lost: writes stop at once. */
  public void revoke() {
    long held = epoch.getAndSet(0);
    if (held != 0) {
      log.info("relay epoch released outbox={} holder={} epoch={}", outbox, holder, held);
    }
  }

  /**
   * Raises the epoch for the current grant if not done yet. Returns whether this relay holds an
   * epoch now; false without a grant it has not used, or when the raise failed (it is tried again
   * at the next pass, as long as the grant stands).
   */
  public boolean acquire() {
    if (epoch.get() != 0) {
      return true;
    }
    long grant = grants.get();
    if (grant == 0 || raisedFor.get() == grant) {
      return false; // no grant, or this grant's epoch was raised and then fenced or revoked
    }
    Long raised =
        transactions.execute(
            tx -> {
              store.raiseEpoch(outbox, holder);
              return store.currentEpoch(outbox);
            });
    if (raised == null) {
      return false;
    }
    raisedFor.set(grant);
    epoch.set(raised);
    log.info("relay epoch raised outbox={} holder={} epoch={}", outbox, holder, raised);
    return true;
  }

  /** True while this relay holds an epoch (it may still find it fenced at its next write). */
  public boolean holds() {
    return epoch.get() != 0;
  }

  /** The epoch to write with; {@link FencedException} when none is held. */
  public long current() {
    long held = epoch.get();
    if (held == 0) {
      throw new FencedException("relay " + holder + " holds no epoch of outbox " + outbox);
    }
    return held;
  }

  /**
   * Runs {@code writes} in one local transaction that first reads the epoch under a shared lock: a
   * {@link FencedException} (and a rollback) when it is not this relay's any more.
   */
  public <T> T inTransaction(Supplier<T> writes) {
    long held = current();
    return transactions.execute(
        tx -> {
          Long now = store.lockEpoch(outbox);
          if (now == null || now != held) {
            throw fenced(held, now);
          }
          return writes.get();
        });
  }

  /**
   * Reads the epoch (no lock): returns if it is still this relay's, else revokes and throws {@link
   * FencedException}. The relay's look before it calls consumers, once per pass with due work.
   */
  public void checkStillHeld() {
    long held = current();
    Long now = store.currentEpoch(outbox);
    if (now == null || now != held) {
      throw fenced(held, now);
    }
  }

  private FencedException fenced(long held, Long now) {
    epoch.compareAndSet(held, 0);
    log.warn(
        "relay fenced: another relay leads outbox={} holder={} held_epoch={} current_epoch={}",
        outbox,
        holder,
        held,
        now);
    RelayMetrics.fenced(outbox);
    return new FencedException(
        "relay "
            + holder
            + " was fenced off outbox "
            + outbox
            + ": epoch "
            + held
            + " is no longer the leader's ("
            + now
            + ")");
  }
}
