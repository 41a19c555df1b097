package io.txcenter.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeAction;
import io.txcenter.portal.tcc.QuotaFreezeTcc;
import io.txcenter.testsupport.FenceHarness;
import io.txcenter.testsupport.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The quota-freeze action on a real database, driven through Seata's fence phase by phase. */
class QuotaFreezeFenceIT {

  private static final AtomicLong CHANNELS = new AtomicLong();

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static QuotaMapper quotas;
  private static QuotaFreezeTcc action;
  private static FenceHarness fence;
  private static PortalServiceImpl service;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("portal", "common", "portal");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    quotas = MyBatisStore.open(dataSource, "mapper/QuotaMapper.xml").getMapper(QuotaMapper.class);
    action = new QuotaFreezeTcc(quotas);
    fence = new FenceHarness(action, QuotaFreezeAction.NAME);
    service = new PortalServiceImpl(action, quotas);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTry_confirmTwice_usesTheQuotaOnce() {
    String channel = channelWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> freeze(branch, channel, 300));
    assertThat(balance(channel)).isEqualTo(List.of(700L, 300L, 0L));

    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fence.confirm(branch)).isTrue();

    assertThat(balance(channel)).isEqualTo(List.of(700L, 0L, 300L));
    assertThat(freezeStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenTry_cancelTwice_releasesTheQuotaOnce() {
    String channel = channelWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> freeze(branch, channel, 400));
    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.cancel(branch)).isTrue();

    assertThat(balance(channel)).isEqualTo(List.of(1_000L, 0L, 0L));
    assertThat(freezeStatus(branch)).isEqualTo("CANCELLED");
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  @Test
  void givenCancelBeforeTry_lateTry_isRefusedAndFreezesNothing() {
    String channel = channelWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence.cancel(branch)).isTrue(); // empty rollback
    assertThat(fenceStatus(branch)).isEqualTo(4);

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> freeze(branch, channel, 50)))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).isTrue());
    assertThat(balance(channel)).isEqualTo(List.of(1_000L, 0L, 0L));
    assertThat(freezeRows(branch)).isZero();
  }

  @Test
  void givenConfirmed_cancel_changesNothing() {
    String channel = channelWith(500);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> freeze(branch, channel, 100));
    fence.confirm(branch);

    assertThat(fence.cancel(branch)).isFalse();

    assertThat(balance(channel)).isEqualTo(List.of(400L, 0L, 100L));
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenNoTry_confirm_failsSoTheCoordinatorRetries_andChangesNothing() {
    String channel = channelWith(500);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.confirm(branch)).hasMessageContaining("not exists");

    assertThat(balance(channel)).isEqualTo(List.of(500L, 0L, 0L));
    assertThat(fenceRows(branch)).isZero();
  }

  @Test
  void givenConcurrentTryAndCancelOnOneBranch_underRepeatableRead_neitherDeadlocksNorLeaksQuota()
      throws Exception {
    assertThat(serverIsolation()).isEqualTo("REPEATABLE-READ");
    for (int round = 0; round < 25; round++) {
      String channel = channelWith(1_000);
      BusinessActionContext branch = FenceHarness.newBranch();
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Boolean> tried =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                try {
                  fence.tryPhase(branch, () -> freeze(branch, channel, 10));
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
      assertThat(balance(channel)).isEqualTo(List.of(1_000L, 0L, 0L));
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
  void givenTooLittleQuota_try_isRefusedWithQuotaExhausted_andChangesNothing() {
    String channel = channelWith(100);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> freeze(branch, channel, 101)))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalErrorCode.QUOTA_EXHAUSTED));

    assertThat(balance(channel)).isEqualTo(List.of(100L, 0L, 0L));
    assertThat(fenceRows(branch)).isZero();
    assertThat(freezeRows(branch)).isZero();
  }

  @Test
  void givenUnknownChannel_try_isRefusedWithUnknownChannel_andChangesNothing() {
    String channel = nextChannel();
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> freeze(branch, channel, 1)))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalErrorCode.UNKNOWN_CHANNEL));
    assertThat(quotas.find(channel)).isNull();
    assertThat(fenceRows(branch)).isZero();
    assertThat(freezeRows(branch)).isZero();
  }

  @Test
  void givenBadRequests_service_refusesWithStableCodes_andChangesNothing() {
    String channel = channelWith(100);
    String unknown = nextChannel();
    Map<String, Object> before = jdbc.queryForMap(rowSql(), channel);
    long channelsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM channel_quota", Long.class);
    long freezesBefore = jdbc.queryForObject("SELECT COUNT(*) FROM quota_freeze", Long.class);

    assertCode(new QuotaFreezeRequest(channel, "o-1", 0), PortalErrorCode.INVALID_AMOUNT);
    assertCode(new QuotaFreezeRequest(channel, "o-1", -5), PortalErrorCode.INVALID_AMOUNT);
    assertCode(
        new QuotaFreezeRequest(channel, "o-1", PortalService.MAX_QUOTA + 1),
        PortalErrorCode.INVALID_AMOUNT);
    assertCode(new QuotaFreezeRequest(channel, "bad order!", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(new QuotaFreezeRequest(channel, null, 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(new QuotaFreezeRequest("Ch_A", "o-1", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(new QuotaFreezeRequest("c".repeat(33), "o-1", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(new QuotaFreezeRequest(null, "o-1", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode((QuotaFreezeRequest) null, PortalErrorCode.INVALID_REQUEST);
    assertCode(new QuotaFreezeRequest(channel, "o-1", 5), PortalErrorCode.NO_GLOBAL_TRANSACTION);
    assertCode(() -> service.grant(channel, -1), PortalErrorCode.INVALID_AMOUNT);
    assertCode(
        () -> service.grant(channel, PortalService.MAX_QUOTA + 1), PortalErrorCode.INVALID_AMOUNT);
    assertCode(() -> service.grant("bad channel", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(() -> service.quota(unknown), PortalErrorCode.UNKNOWN_CHANNEL);
    assertCode(() -> service.quota("Bad"), PortalErrorCode.INVALID_REQUEST);

    assertThat(jdbc.queryForMap(rowSql(), channel)).isEqualTo(before);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM channel_quota", Long.class))
        .isEqualTo(channelsBefore);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quota_freeze", Long.class))
        .isEqualTo(freezesBefore);
    assertThat(service.quotas()).extracting(ChannelQuota::channelId).isSorted().contains(channel);
  }

  private static void assertCode(QuotaFreezeRequest request, PortalErrorCode code) {
    assertCode(() -> service.tryFreezeQuota(request), code);
  }

  private static void assertCode(ThrowingCallable call, PortalErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).startsWith(code.name());
            });
  }

  private static void freeze(BusinessActionContext branch, String channel, long amount) {
    action.tryFreezeQuota(branch, channel, "order-" + branch.getBranchId(), amount);
  }

  private static String nextChannel() {
    return "c" + CHANNELS.incrementAndGet();
  }

  private static String channelWith(long granted) {
    String channel = nextChannel();
    ChannelQuota quota = service.grant(channel, granted);
    assertThat(quota.available()).isEqualTo(granted);
    assertThat(quota.granted()).isEqualTo(granted);
    return channel;
  }

  private static List<Long> balance(String channel) {
    ChannelQuota q = quotas.find(channel);
    assertThat(q.available() + q.frozen() + q.used()).isEqualTo(q.granted());
    return List.of(q.available(), q.frozen(), q.used());
  }

  private static String rowSql() {
    return "SELECT granted, available, frozen, used FROM channel_quota WHERE channel_id = ?";
  }

  private static String freezeStatus(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT status FROM quota_freeze WHERE xid = ? AND branch_id = ?",
        String.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static long freezeRows(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM quota_freeze WHERE xid = ? AND branch_id = ?",
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
