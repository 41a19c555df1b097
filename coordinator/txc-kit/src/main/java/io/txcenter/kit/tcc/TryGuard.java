package io.txcenter.kit.tcc;

import io.txcenter.kit.Echo;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.ParticipantRuntime;
import java.util.EnumMap;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The guard every participant's Try goes through: it requires the caller's global transaction
 * (XID), runs the Try body, passes the participant's own typed refusals through, and types what
 * Seata's fence, Seata's branch registration or the store threw, so a caller always gets the
 * participant's API exception and never a framework or driver exception.
 *
 * <p>Contract of {@link #run}: with no XID bound, the body does not run and the {@link
 * Outcome#NO_GLOBAL_TRANSACTION} exception is thrown; a {@code refusal} thrown by the body (the
 * participant's API exception, e.g. insufficient funds or a duplicate reservation it detected) is
 * logged at info and rethrown unchanged; any other runtime failure is mapped to {@link
 * Outcome#SUSPENDED} (the branch was already cancelled: the fence's suspension), {@link
 * Outcome#TRANSACTION_NOT_ACTIVE} (the TC refused to register the branch), {@link
 * Outcome#DUPLICATE_RESERVATION} (a business unique key refused the reservation and the body did
 * not type it itself) or else {@link Outcome#STORAGE_FAILURE}. Log lines carry the xid and the
 * business key; echoed values are cut ({@link Echo#cut}).
 *
 * @param <E> the participant's typed API exception
 */
public final class TryGuard<E extends RuntimeException> {

  /** What the guard decided, turned into the participant's typed exception by {@link Codes}. */
  public enum Outcome {
    /** No XID is bound: the Try was called outside a global transaction; nothing ran. */
    NO_GLOBAL_TRANSACTION("NO_GLOBAL_TRANSACTION"),
    /** The branch was already cancelled (fence row {@code suspended}); the Try changed nothing. */
    SUSPENDED("BRANCH_SUSPENDED"),
    /** The TC refused the branch: the global transaction does not exist or is no longer Begin. */
    TRANSACTION_NOT_ACTIVE("TRANSACTION_NOT_ACTIVE"),
    /** A business unique key refused the reservation (the key already holds one). */
    DUPLICATE_RESERVATION("DUPLICATE_RESERVATION"),
    /** Any other failure of the Try: the store (or the framework) failed. */
    STORAGE_FAILURE("STORAGE_FAILURE");

    private final String codeName;

    Outcome(String codeName) {
      this.codeName = codeName;
    }

    /** The name of the participant API's error code for this outcome, by the house convention. */
    public String codeName() {
      return codeName;
    }
  }

  /**
   * The conventional mapping of outcomes to a participant's error-code enum: each outcome to the
   * constant named {@link Outcome#codeName()} ({@code SUSPENDED} to {@code BRANCH_SUSPENDED}, the
   * others to their own name). Checked here, once: an enum that lacks one of the names is refused
   * with {@link IllegalArgumentException}, so a wrong mapping fails at start, not on a rare path.
   */
  public static <C extends Enum<C>> Function<Outcome, C> codesNamedAlike(Class<C> codes) {
    EnumMap<Outcome, C> byOutcome = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      try {
        byOutcome.put(outcome, Enum.valueOf(codes, outcome.codeName()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            codes.getName() + " has no code " + outcome.codeName() + " for " + outcome, e);
      }
    }
    return byOutcome::get;
  }

  /** Turns an outcome and its message into the participant's typed API exception. */
  @FunctionalInterface
  public interface Codes<E extends RuntimeException> {
    E exception(Outcome outcome, String message);
  }

  private final Logger log;
  private final String participant;
  private final String keyName;
  private final Class<E> refusal;
  private final Function<? super E, ?> codeOf;

  /**
   * @param log the participant's logger (log lines keep the participant's category)
   * @param participant the word log lines start with, e.g. {@code "points"}
   * @param keyName the name of the business key in log lines and messages, e.g. {@code "order"}
   * @param refusal the participant's API exception: thrown by the body, it passes through
   * @param codeOf reads the error code of a refusal, for the log line
   */
  public TryGuard(
      Logger log,
      String participant,
      String keyName,
      Class<E> refusal,
      Function<? super E, ?> codeOf) {
    this.log = Objects.requireNonNull(log, "log");
    this.participant = Objects.requireNonNull(participant, "participant");
    this.keyName = Objects.requireNonNull(keyName, "keyName");
    this.refusal = Objects.requireNonNull(refusal, "refusal");
    this.codeOf = Objects.requireNonNull(codeOf, "codeOf");
  }

  /**
   * Runs one Try under the guard (see the class comment for the contract).
   *
   * @param operation the API method, named in the no-transaction message, e.g. {@code "tryFreeze"}
   * @param action the action in log lines, e.g. {@code "freeze"}
   * @param key the business key (already validated by the caller; cut anyway when echoed)
   * @param context further {@code name=value} pairs for the log lines, or {@code ""}
   * @param codes the participant's mapping of each outcome to its typed exception
   * @param body the Try itself (the TCC proxy's Try call)
   */
  public void run(
      String operation, String action, String key, String context, Codes<E> codes, Runnable body) {
    String label = participant + " " + action;
    String keyText = Echo.cut(key);
    String more = context == null || context.isEmpty() ? "" : " " + context;
    String xid = ParticipantRuntime.currentXid();
    if (xid == null) {
      throw codes.exception(
          Outcome.NO_GLOBAL_TRANSACTION,
          operation + " must run inside a global transaction, " + keyName + " [" + keyText + "]");
    }
    try {
      body.run();
    } catch (RuntimeException e) {
      if (refusal.isInstance(e)) {
        log.info(
            "{} refused xid={} {}={}{} code={}",
            label,
            xid,
            keyName,
            keyText,
            more,
            codeOf.apply(refusal.cast(e)));
        throw e;
      }
      if (FenceErrors.isSuspended(e)) {
        log.warn("{} after cancel refused xid={} {}={}{}", label, xid, keyName, keyText, more);
        throw codes.exception(
            Outcome.SUSPENDED, "branch already cancelled, " + keyName + " [" + keyText + "]");
      }
      if (FenceErrors.isTransactionNotActive(e)) {
        log.warn(
            "{} outside an active transaction refused xid={} {}={}{}",
            label,
            xid,
            keyName,
            keyText,
            more);
        throw codes.exception(
            Outcome.TRANSACTION_NOT_ACTIVE,
            "global transaction [" + Echo.cut(xid) + "] does not exist or is no longer active");
      }
      if (FenceErrors.isDuplicateKey(e)) {
        log.info("{} duplicate refused xid={} {}={}{}", label, xid, keyName, keyText, more);
        throw codes.exception(
            Outcome.DUPLICATE_RESERVATION,
            keyName + " [" + keyText + "] already holds a reservation");
      }
      log.error("{} failed xid={} {}={}{}", label, xid, keyName, keyText, more, e);
      throw codes.exception(
          Outcome.STORAGE_FAILURE, "storage failure: " + Echo.cut(e.getMessage()));
    }
  }
}
