package io.txcenter.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsFreezeAction;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testsupport.FenceHarness;
import io.txcenter.testsupport.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The points-freeze action on a real database, driven through Seata's fence phase by phase. */
class PointsFreezeFenceIT {

  private static final String CHANNEL = "ch-t";
  private static final AtomicLong USERS = new AtomicLong(1_000);

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PointsMapper points;
  private static PointsFreezeTcc action;
  private static FenceHarness fence;
  private static PointsServiceImpl service;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("points", "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    action = new PointsFreezeTcc(points);
    fence = new FenceHarness(action, PointsFreezeAction.NAME);
    service = new PointsServiceImpl(CHANNEL, action, points);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTry_confirmTwice_spendsThePointsOnce() {
    long user = userWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> freeze(branch, user, 300));
    assertThat(balance(user)).isEqualTo(List.of(700L, 300L, 0L));

    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fence.confirm(branch)).isTrue();

    assertThat(balance(user)).isEqualTo(List.of(700L, 0L, 300L));
    assertThat(freezeStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenTry_cancelTwice_releasesThePointsOnce() {
    long user = userWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> freeze(branch, user, 400));
    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.cancel(branch)).isTrue();

    assertThat(balance(user)).isEqualTo(List.of(1_000L, 0L, 0L));
    assertThat(freezeStatus(branch)).isEqualTo("CANCELLED");
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  @Test
  void givenCancelBeforeTry_lateTry_isRefusedAndFreezesNothing() {
    long user = userWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence.cancel(branch)).isTrue(); // empty rollback
    assertThat(fenceStatus(branch)).isEqualTo(4);

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> freeze(branch, user, 50)))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).isTrue());
    assertThat(balance(user)).isEqualTo(List.of(1_000L, 0L, 0L));
    assertThat(freezeRows(branch)).isZero();
  }

  @Test
  void givenConfirmed_cancel_changesNothing() {
    long user = userWith(500);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> freeze(branch, user, 100));
    fence.confirm(branch);

    assertThat(fence.cancel(branch)).isFalse();

    assertThat(balance(user)).isEqualTo(List.of(400L, 0L, 100L));
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenNoTry_confirm_failsSoTheCoordinatorRetries_andChangesNothing() {
    long user = userWith(500);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.confirm(branch)).hasMessageContaining("not exists");

    assertThat(balance(user)).isEqualTo(List.of(500L, 0L, 0L));
    assertThat(fenceRows(branch)).isZero();
  }

  @Test
  void givenConcurrentTryAndCancelOnOneBranch_underRepeatableRead_neitherDeadlocksNorLeaksPoints()
      throws Exception {
    assertThat(serverIsolation()).isEqualTo("REPEATABLE-READ");
    for (int round = 0; round < 25; round++) {
      long user = userWith(1_000);
      BusinessActionContext branch = FenceHarness.newBranch();
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Boolean> tried =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                try {
                  fence.tryPhase(branch, () -> freeze(branch, user, 10));
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
      assertThat(balance(user)).isEqualTo(List.of(1_000L, 0L, 0L));
      if (tryRan) {
        assertThat(fenceStatus(branch)).isEqualTo(3);
        assertThat(freezeStatus(branch)).isEqualTo("CANCELLED");
      } else {
        // Seata queues the suspended row of a refused Try for deletion: it may already be gone
        assertThat(
                jdbc.queryForList(
                    "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
                    Integer.class,
                    branch.getXid(),
                    branch.getBranchId()))
            .isIn(List.of(), List.of(4));
        assertThat(freezeRows(branch)).isZero();
      }
    }
  }

  @Test
  void givenTooFewPoints_try_isRefusedWithInsufficientPoints_andChangesNothing() {
    long user = userWith(100);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> freeze(branch, user, 101)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.INSUFFICIENT_POINTS));

    assertThat(balance(user)).isEqualTo(List.of(100L, 0L, 0L));
    assertThat(fenceRows(branch)).isZero();
    assertThat(freezeRows(branch)).isZero();
  }

  @Test
  void givenUnknownUser_try_isRefusedWithUnknownUser_andChangesNothing() {
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> freeze(branch, 987_654_321L, 1)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.UNKNOWN_USER));
    assertThat(fenceRows(branch)).isZero();
  }

  @Test
  void givenBadRequests_service_refusesWithStableCodes_andChangesNothing() {
    long user = userWith(100);
    Map<String, Object> before = jdbc.queryForMap(rowSql(), CHANNEL, user);
    long freezesBefore = jdbc.queryForObject("SELECT COUNT(*) FROM points_freeze", Long.class);

    assertCode(new FreezeRequest(CHANNEL, "o-1", user, 0), PointsErrorCode.INVALID_AMOUNT);
    assertCode(new FreezeRequest(CHANNEL, "o-1", user, -5), PointsErrorCode.INVALID_AMOUNT);
    assertCode(
        new FreezeRequest(CHANNEL, "o-1", user, PointsService.MAX_POINTS + 1),
        PointsErrorCode.INVALID_AMOUNT);
    assertCode(new FreezeRequest("ch-zz", "o-1", user, 5), PointsErrorCode.UNKNOWN_CHANNEL);
    assertCode(new FreezeRequest(CHANNEL, "bad order!", user, 5), PointsErrorCode.INVALID_REQUEST);
    assertCode(new FreezeRequest(CHANNEL, "o-1", 0, 5), PointsErrorCode.INVALID_REQUEST);
    assertCode(new FreezeRequest(CHANNEL, "o-1", user, 5), PointsErrorCode.NO_GLOBAL_TRANSACTION);
    assertThatThrownBy(() -> service.grant(CHANNEL, user, -1))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.INVALID_AMOUNT));
    assertThatThrownBy(() -> service.balance(CHANNEL, 55_555_555L))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.UNKNOWN_USER));

    assertThat(jdbc.queryForMap(rowSql(), CHANNEL, user)).isEqualTo(before);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM points_freeze", Long.class))
        .isEqualTo(freezesBefore);
  }

  private static void assertCode(FreezeRequest request, PointsErrorCode code) {
    assertThatThrownBy(() -> service.tryFreeze(request))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).startsWith(code.name());
            });
  }

  private static void freeze(BusinessActionContext branch, long user, long amount) {
    action.tryFreeze(branch, CHANNEL, "order-" + branch.getBranchId(), user, amount);
  }

  private static long userWith(long granted) {
    long user = USERS.incrementAndGet();
    PointsBalance balance = service.grant(CHANNEL, user, granted);
    assertThat(balance.available()).isEqualTo(granted);
    return user;
  }

  private static List<Long> balance(long user) {
    PointsBalance b = points.find(CHANNEL, user);
    assertThat(b.available() + b.frozen() + b.spent() - b.credited()).isEqualTo(b.granted());
    return List.of(b.available(), b.frozen(), b.spent());
  }

  private static String rowSql() {
    return "SELECT available, frozen, spent, credited, granted FROM user_points"
        + " WHERE channel_id = ? AND user_id = ?";
  }

  private static String freezeStatus(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT status FROM points_freeze WHERE xid = ? AND branch_id = ?",
        String.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static long freezeRows(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM points_freeze WHERE xid = ? AND branch_id = ?",
        Long.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static int fenceStatus(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
        Integer.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static long fenceRows(BusinessActionContext branch) {
    return jdbc.queryForObject(
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
  private static boolean cancelAsTheCoordinatorDoes(BusinessActionContext branch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return fence.cancel(branch);
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
  private static String serverIsolation() {
    try {
      return jdbc.queryForObject("SELECT @@global.transaction_isolation", String.class);
    } catch (RuntimeException e) {
      return jdbc.queryForObject("SELECT @@global.tx_isolation", String.class);
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
