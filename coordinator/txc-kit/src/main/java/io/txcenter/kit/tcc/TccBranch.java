package io.txcenter.kit.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The second phase of a TCC action, what the TC calls once the global transaction is decided. Every
 * {@code XxxAction} interface extends it and names these methods in
 * {@code @TwoPhaseBusinessAction(commitMethod = "confirm", rollbackMethod = "cancel")}: Seata
 * resolves them with {@code Class.getMethod} on the action interface, which finds a
 * super-interface's methods.
 *
 * <p>Both phases run in Seata's fence local transaction at READ COMMITTED: under REPEATABLE READ
 * the fence's {@code SELECT ... FOR UPDATE} of a missing row takes gap locks, and a concurrent
 * Try's insert then deadlocks with it (seata #6679). The fence reads this {@code @Transactional}
 * from the implementation's method with Spring's {@code findMergedAnnotation}, which searches up to
 * the interfaces, so it holds for every implementation that does not declare its own.
 */
public interface TccBranch {

  /** Makes this branch's Try final; idempotent. A failure makes the TC retry. */
  @Transactional(isolation = Isolation.READ_COMMITTED)
  boolean confirm(BusinessActionContext context);

  /** Undoes this branch's Try, or nothing if the Try never ran; idempotent. */
  @Transactional(isolation = Isolation.READ_COMMITTED)
  boolean cancel(BusinessActionContext context);

  /** A phase of the two, and the status a branch's record settles to in it. */
  enum Phase {
    CONFIRM("CONFIRMED"),
    CANCEL("CANCELLED");

    private final String settled;

    Phase(String settled) {
      this.settled = settled;
    }

    /** The status a TRIED record takes in this phase: {@code CONFIRMED} or {@code CANCELLED}. */
    public String settled() {
      return settled;
    }
  }
}
