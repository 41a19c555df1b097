package io.txcenter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Confirm and Cancel of a {@code BranchRecordTcc} participant settled from the action context, as
 * Seata's RM hands it back ({@link PhaseTwoContext}), on a real database through the fence: the
 * record is not read when the context matches it, and is read, and alone decides, when the context
 * disagrees with it.
 */
public abstract class SettleFromContextContract {

  /** The participant's schema, holding its reservation table and {@code tcc_fence_log}. */
  protected abstract JdbcTemplate jdbc();

  /** Drives the participant's action through the fence. */
  protected abstract FenceHarness fence();

  /** The action (not Seata's proxy), whose Try is {@link #tryMethod}. */
  protected abstract Object action();

  /** The name of the action's Try method, e.g. {@code "tryFreeze"}. */
  protected abstract String tryMethod();

  /**
   * The Try's arguments after its context that reserve {@code amount} of {@code key} for a business
   * key of {@code branch}'s own.
   */
  protected abstract Object[] tryArguments(BusinessActionContext branch, String key, long amount);

  /** Creates a user, channel or account holding {@code amount} and returns its key. */
  protected abstract String newResource(long amount);

  /** [free, reserved, settled] of {@code key}, as {@code TccReservationContract.state}. */
  protected abstract List<Long> state(String key);

  /** As {@code TccReservationContract.expectedState}. */
  protected abstract List<Long> expectedState(long held, long reserved, long settled);

  /** The participant's per-branch table, with columns {@code xid, branch_id, status}. */
  protected abstract String reservationTable();

  /** How many times the action has read a branch record ({@code findForUpdate}) so far. */
  protected abstract long recordReads();

  @Test
  void givenTry_confirmWithItsContext_settlesWithoutReadingTheRecord() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    Object[] arguments = tryArguments(branch, key, 300);
    tryPhase(branch, arguments);
    long reads = recordReads();

    assertThat(fence().confirm(phaseTwo(branch, arguments))).isTrue();

    assertThat(recordReads()).isEqualTo(reads);
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 300));
    assertThat(reservationStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenTry_cancelWithItsContext_releasesWithoutReadingTheRecord() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    Object[] arguments = tryArguments(branch, key, 400);
    tryPhase(branch, arguments);
    long reads = recordReads();

    assertThat(fence().cancel(phaseTwo(branch, arguments))).isTrue();

    assertThat(recordReads()).isEqualTo(reads);
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 0));
    assertThat(reservationStatus(branch)).isEqualTo("CANCELLED");
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  @Test
  void givenAContextWithAnotherAmount_confirm_readsTheRecord_andSettlesWhatItSays() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    tryPhase(branch, tryArguments(branch, key, 300));
    long reads = recordReads();

    assertThat(fence().confirm(phaseTwo(branch, tryArguments(branch, key, 299)))).isTrue();

    assertThat(recordReads()).isEqualTo(reads + 1);
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 300));
    assertThat(reservationStatus(branch)).isEqualTo("CONFIRMED");
  }

  @Test
  void givenAContextNamingAnotherResource_cancel_readsTheRecord_andReleasesWhatItSays() {
    String key = newResource(1_000);
    String other = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    tryPhase(branch, tryArguments(branch, key, 300));
    long reads = recordReads();

    assertThat(fence().cancel(phaseTwo(branch, tryArguments(branch, other, 300)))).isTrue();

    assertThat(recordReads()).isEqualTo(reads + 1);
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 0));
    assertThat(state(other)).isEqualTo(expectedState(1_000, 0, 0));
    assertThat(reservationStatus(branch)).isEqualTo("CANCELLED");
  }

  @Test
  void givenASettledRecord_thePhaseWithItsContextPastTheFence_changesNothing() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    Object[] arguments = tryArguments(branch, key, 300);
    tryPhase(branch, arguments);
    BusinessActionContext context = phaseTwo(branch, arguments);
    fence().confirm(context);

    // the fence absorbs a repeated phase; past it, the record's status does
    assertThat(phase("confirm", context)).isEqualTo(true);
    assertThat(phase("cancel", context)).isEqualTo(true);

    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 300));
    assertThat(reservationStatus(branch)).isEqualTo("CONFIRMED");
  }

  /** The context Seata's RM would give the phases of {@code branch} after this Try. */
  protected BusinessActionContext phaseTwo(BusinessActionContext branch, Object[] arguments) {
    return PhaseTwoContext.of(branch, action(), tryMethod(), arguments);
  }

  /** Runs the action's Try for {@code branch} in the fence. */
  protected void tryPhase(BusinessActionContext branch, Object[] arguments) {
    Object[] all = new Object[arguments.length + 1];
    all[0] = branch;
    System.arraycopy(arguments, 0, all, 1, arguments.length);
    fence().tryPhase(branch, () -> call(tryMethod(), all));
  }

  private Object phase(String name, BusinessActionContext context) {
    return call(name, new Object[] {context});
  }

  private Object call(String name, Object[] arguments) {
    Method method =
        Arrays.stream(action().getClass().getMethods())
            .filter(m -> m.getName().equals(name) && m.getParameterCount() == arguments.length)
            .findFirst()
            .orElseThrow();
    try {
      return method.invoke(action(), arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  protected String reservationStatus(BusinessActionContext branch) {
    return jdbc()
        .queryForObject(
            "SELECT status FROM " + reservationTable() + " WHERE xid = ? AND branch_id = ?",
            String.class,
            branch.getXid(),
            branch.getBranchId());
  }

  protected int fenceStatus(BusinessActionContext branch) {
    return jdbc()
        .queryForObject(
            "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
            Integer.class,
            branch.getXid(),
            branch.getBranchId());
  }
}
