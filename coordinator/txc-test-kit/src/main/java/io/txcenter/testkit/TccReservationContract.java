package io.txcenter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.kit.FenceErrors;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fence guarantees every TCC reservation participant keeps, phase by phase on a real database.
 */
public abstract class TccReservationContract {

  /** The participant's schema, holding its reservation table and {@code tcc_fence_log}. */
  protected abstract JdbcTemplate jdbc();

  /** Drives the participant's action through Seata's fence. */
  protected abstract FenceHarness fence();

  /** Creates a user, channel or account holding {@code amount} and returns its key. */
  protected abstract String newResource(long amount);

  /** Calls the action's Try for {@code branch}, reserving {@code amount} of {@code key}. */
  protected abstract void tryReserve(BusinessActionContext branch, String key, long amount);

  /**
   * Calls the action's Try for {@code branch}, reserving {@code amount} of {@code key} for the
   * business operation {@code businessKey} (an order, a payment).
   */
  protected abstract void tryReserveFor(
      BusinessActionContext branch, String key, long amount, String businessKey);

  /**
   * [free, reserved, settled] of {@code key}, after asserting the participant's own invariant
   * between them.
   */
  protected abstract List<Long> state(String key);

  /**
   * The {@link #state} of a resource created with {@code held} once {@code reserved} is tried but
   * not settled and {@code settled} is confirmed: it says whether a settled amount leaves or joins
   * the free one.
   */
  protected abstract List<Long> expectedState(long held, long reserved, long settled);

  /** The participant's per-branch table, with columns {@code xid, branch_id, status}. */
  protected abstract String reservationTable();

  @Test
  void givenTry_confirmTwice_settlesTheAmountOnce() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence().tryPhase(branch, () -> tryReserve(branch, key, 300));
    assertThat(state(key)).isEqualTo(expectedState(1_000, 300, 0));

    assertThat(fence().confirm(branch)).isTrue();
    assertThat(fence().confirm(branch)).isTrue();

    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 300));
    assertThat(reservationStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenTry_cancelTwice_releasesTheAmountOnce() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence().tryPhase(branch, () -> tryReserve(branch, key, 400));
    assertThat(fence().cancel(branch)).isTrue();
    assertThat(fence().cancel(branch)).isTrue();

    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 0));
    assertThat(reservationStatus(branch)).isEqualTo("CANCELLED");
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  @Test
  void givenCancelBeforeTry_lateTry_isRefusedAndReservesNothing() {
    String key = newResource(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence().cancel(branch)).isTrue(); // empty rollback
    assertThat(fenceStatus(branch)).isEqualTo(4);

    assertThatThrownBy(() -> fence().tryPhase(branch, () -> tryReserve(branch, key, 50)))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).isTrue());
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 0));
    assertThat(reservationRows(branch)).isZero();
  }

  @Test
  void givenConfirmed_cancel_changesNothing() {
    String key = newResource(500);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence().tryPhase(branch, () -> tryReserve(branch, key, 100));
    fence().confirm(branch);

    assertThat(fence().cancel(branch)).isFalse();

    assertThat(state(key)).isEqualTo(expectedState(500, 0, 100));
    assertThat(reservationStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenNoTry_confirm_failsSoTheCoordinatorRetries_andChangesNothing() {
    String key = newResource(500);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence().confirm(branch)).hasMessageContaining("not exists");

    assertThat(state(key)).isEqualTo(expectedState(500, 0, 0));
    assertThat(fenceRows(branch)).isZero();
    assertThat(reservationRows(branch)).isZero();
  }

  @Test
  void givenALiveReservation_aSecondBranchOfTheSameTransactionForTheSameBusinessKey_isRefused() {
    String key = newResource(1_000);
    String businessKey = "bk-" + UUID.randomUUID().toString().substring(0, 12);
    BusinessActionContext first = FenceHarness.newBranch();
    BusinessActionContext second = branchOf(first.getXid());
    fence().tryPhase(first, () -> tryReserveFor(first, key, 300, businessKey));

    // the fence keys on (xid, branch_id): only the business table can see the second reservation
    assertThatThrownBy(
            () -> fence().tryPhase(second, () -> tryReserveFor(second, key, 300, businessKey)))
        .hasMessageStartingWith("DUPLICATE_RESERVATION");

    assertThat(state(key)).isEqualTo(expectedState(1_000, 300, 0));
    assertThat(reservationRows(second)).isZero();
    assertThat(fenceRows(second)).isZero();
    // nor can another global transaction reserve it while the first is live
    BusinessActionContext other = FenceHarness.newBranch();
    assertThatThrownBy(
            () -> fence().tryPhase(other, () -> tryReserveFor(other, key, 1, businessKey)))
        .hasMessageStartingWith("DUPLICATE_RESERVATION");
    assertThat(fence().confirm(first)).isTrue();
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 300));
    BusinessActionContext late = FenceHarness.newBranch();
    assertThatThrownBy(() -> fence().tryPhase(late, () -> tryReserveFor(late, key, 1, businessKey)))
        .hasMessageStartingWith("DUPLICATE_RESERVATION");
    assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 300));
  }

  @Test
  void givenACancelledReservation_itsBusinessKeyCanBeReservedByANewTransaction() {
    String key = newResource(1_000);
    String businessKey = "bk-" + UUID.randomUUID().toString().substring(0, 12);
    BusinessActionContext first = FenceHarness.newBranch();
    fence().tryPhase(first, () -> tryReserveFor(first, key, 300, businessKey));
    assertThat(fence().cancel(first)).isTrue();

    BusinessActionContext retry = FenceHarness.newBranch();
    if (!cancelledKeyIsReusable()) {
      // a single-use key (a purchase number): the cancelled reservation keeps it
      assertThatThrownBy(
              () -> fence().tryPhase(retry, () -> tryReserveFor(retry, key, 200, businessKey)))
          .hasMessageStartingWith("DUPLICATE_RESERVATION");
      assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 0));
      assertThat(reservationRows(retry)).isZero();
      return;
    }
    fence().tryPhase(retry, () -> tryReserveFor(retry, key, 200, businessKey));

    assertThat(state(key)).isEqualTo(expectedState(1_000, 200, 0));
    assertThat(reservationStatus(retry)).isEqualTo("TRIED");
  }

  /**
   * Whether a cancelled reservation frees its business key for a new transaction (true: points,
   * quota and credits keyed by an order or payment that may be retried); false for a participant
   * whose key is single-use, so a second reservation of it is refused {@code DUPLICATE_RESERVATION}
   * even after a cancel.
   */
  protected boolean cancelledKeyIsReusable() {
    return true;
  }

  /** A new branch of the global transaction {@code xid}. */
  protected static BusinessActionContext branchOf(String xid) {
    BusinessActionContext branch = FenceHarness.newBranch();
    branch.setXid(xid);
    return branch;
  }

  @Test
  void givenConcurrentTryAndCancelOnOneBranch_underRepeatableRead_neitherDeadlocksNorLeaks()
      throws Exception {
    assertThat(serverIsolation()).isEqualTo("REPEATABLE-READ");
    for (int round = 0; round < 25; round++) {
      String key = newResource(1_000);
      BusinessActionContext branch = FenceHarness.newBranch();
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Boolean> tried =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                try {
                  fence().tryPhase(branch, () -> tryReserve(branch, key, 10));
                  return true;
                } catch (RuntimeException e) {
                  assertThat(FenceErrors.isSuspended(e))
                      .as("refusal, not deadlock: %s", e)
                      .isTrue();
                  return false;
                }
              });
      CompletableFuture<Boolean> cancelled =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                return cancelAsTheCoordinatorDoes(branch);
              });

      assertThat(cancelled.get(30, TimeUnit.SECONDS)).isTrue();
      boolean tryRan = tried.get(30, TimeUnit.SECONDS);
      assertThat(state(key)).isEqualTo(expectedState(1_000, 0, 0));
      if (tryRan) {
        assertThat(fenceStatus(branch)).isEqualTo(3);
        assertThat(reservationStatus(branch)).isEqualTo("CANCELLED");
      } else {
        // Seata queues the suspended row of a refused Try for deletion: it may already be gone
        assertThat(
                jdbc()
                    .queryForList(
                        "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
                        Integer.class,
                        branch.getXid(),
                        branch.getBranchId()))
            .isIn(List.of(), List.of(4));
        assertThat(reservationRows(branch)).isZero();
      }
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

  protected long reservationRows(BusinessActionContext branch) {
    return jdbc()
        .queryForObject(
            "SELECT COUNT(*) FROM " + reservationTable() + " WHERE xid = ? AND branch_id = ?",
            Long.class,
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

  protected long fenceRows(BusinessActionContext branch) {
    return jdbc()
        .queryForObject(
            "SELECT COUNT(*) FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
            Long.class,
            branch.getXid(),
            branch.getBranchId());
  }

  /**
   * The TC retries a Cancel that failed. Racing a Try, Cancel can fail once with the fence's
   * duplicate-key error (its insert of {@code suspended} lost to the Try's {@code tried}); a
   * deadlock (MySQL error 1213) is never acceptable.
   */
  private boolean cancelAsTheCoordinatorDoes(BusinessActionContext branch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return fence().cancel(branch);
      } catch (RuntimeException e) {
        assertThat(e).hasMessageNotContaining("Deadlock");
        assertThat(FenceErrors.isSuspended(e))
            .as("only a lost insert race may fail: %s", e)
            .isTrue();
        assertThat(attempt).as("cancel retries").isLessThan(3);
      }
    }
  }

  /** MySQL 8 and MariaDB 11 name it transaction_isolation; MariaDB 10 only tx_isolation. */
  private String serverIsolation() {
    try {
      return jdbc().queryForObject("SELECT @@global.transaction_isolation", String.class);
    } catch (RuntimeException e) {
      return jdbc().queryForObject("SELECT @@global.tx_isolation", String.class);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
