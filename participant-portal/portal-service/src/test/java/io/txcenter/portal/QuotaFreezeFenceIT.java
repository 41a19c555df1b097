package io.txcenter.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeAction;
import io.txcenter.portal.tcc.QuotaFreezeTcc;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TccReservationContract;
import io.txcenter.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The quota-freeze action on a real database, driven through Seata's fence phase by phase. */
class QuotaFreezeFenceIT extends TccReservationContract {

  @Test
  void givenAMillionCharacterOrderNumberOrChannel_theRefusalEchoesOnly64Characters() {
    String huge = "o".repeat(1_000_000);

    assertThatThrownBy(() -> service.tryFreezeQuota(request("ch-x", huge, 5)))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalErrorCode.INVALID_REQUEST))
        .hasMessageContaining("o".repeat(64) + "…(1000000 chars)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> service.quota("c".repeat(1_000_000)))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PortalErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).hasSizeLessThan(200);
              assertThat(e.channelId()).hasSizeLessThan(100);
            });
  }

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
    org.springframework.transaction.PlatformTransactionManager transactions =
        TccFence.install(dataSource);
    quotas = MyBatisStore.open(dataSource, "mapper/QuotaMapper.xml").getMapper(QuotaMapper.class);
    action = new QuotaFreezeTcc(quotas);
    fence = new FenceHarness(action, QuotaFreezeAction.NAME);
    service = new PortalServiceImpl(action, quotas, transactions);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Override
  protected JdbcTemplate jdbc() {
    return jdbc;
  }

  @Override
  protected FenceHarness fence() {
    return fence;
  }

  @Override
  protected String newResource(long amount) {
    return channelWith(amount);
  }

  @Override
  protected void tryReserve(BusinessActionContext branch, String channel, long amount) {
    freeze(branch, channel, amount);
  }

  @Override
  protected void tryReserveFor(
      BusinessActionContext branch, String channel, long amount, String orderNo) {
    action.tryFreezeQuota(branch, orderNo, List.of(new QuotaLine(channel, amount)));
  }

  /** [available, frozen, used] of the channel, after checking they add up to what was granted. */
  @Override
  protected List<Long> state(String channel) {
    return balance(channel);
  }

  /** Frozen quota leaves the available one; used quota never comes back. */
  @Override
  protected List<Long> expectedState(long granted, long frozen, long used) {
    return List.of(granted - frozen - used, frozen, used);
  }

  @Override
  protected String reservationTable() {
    return "quota_freeze";
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
    assertThat(reservationRows(branch)).isZero();
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
    assertThat(reservationRows(branch)).isZero();
  }

  @Test
  void givenBadRequests_service_refusesWithStableCodes_andChangesNothing() {
    String channel = channelWith(100);
    String unknown = nextChannel();
    Map<String, Object> before = jdbc.queryForMap(rowSql(), channel);
    long channelsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM channel_quota", Long.class);
    long freezesBefore = jdbc.queryForObject("SELECT COUNT(*) FROM quota_freeze", Long.class);

    assertCode(request(channel, "o-1", 0), PortalErrorCode.INVALID_AMOUNT);
    assertCode(request(channel, "o-1", -5), PortalErrorCode.INVALID_AMOUNT);
    assertCode(
        request(channel, "o-1", PortalService.MAX_QUOTA + 1), PortalErrorCode.INVALID_AMOUNT);
    assertCode(request(channel, "bad order!", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(request(channel, null, 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(request("Ch_A", "o-1", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(request("c".repeat(33), "o-1", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode(request(null, "o-1", 5), PortalErrorCode.INVALID_REQUEST);
    assertCode((QuotaFreezeRequest) null, PortalErrorCode.INVALID_REQUEST);
    assertCode(request(channel, "o-1", 5), PortalErrorCode.NO_GLOBAL_TRANSACTION);
    assertCode(() -> service.grant(channel, -1, "test"), PortalErrorCode.INVALID_AMOUNT);
    assertCode(
        () -> service.grant(channel, PortalService.MAX_QUOTA + 1, "test"),
        PortalErrorCode.INVALID_AMOUNT);
    assertCode(() -> service.grant("bad channel", 5, "test"), PortalErrorCode.INVALID_REQUEST);
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
    action.tryFreezeQuota(
        branch, "order-" + branch.getBranchId(), List.of(new QuotaLine(channel, amount)));
  }

  /** A request of one line. */
  private static QuotaFreezeRequest request(String channel, String orderNo, long amount) {
    return new QuotaFreezeRequest(orderNo, List.of(new QuotaLine(channel, amount)));
  }

  @Test
  void givenAnOrderOfTwoChannels_oneBranch_freezesBoth_andConfirmUsesBoth() {
    String a = channelWith(100);
    String b = channelWith(100);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(
        branch,
        () -> action.tryFreezeQuota(branch, "o-two-" + branch.getBranchId(), twoLines(a, 5, b, 3)));
    assertThat(balance(a)).isEqualTo(List.of(95L, 5L, 0L));
    assertThat(balance(b)).isEqualTo(List.of(97L, 3L, 0L));
    assertThat(reservationRows(branch)).isEqualTo(2);
    assertThat(fenceRows(branch)).isEqualTo(1);

    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fence.confirm(branch)).isTrue();
    assertThat(balance(a)).isEqualTo(List.of(95L, 0L, 5L));
    assertThat(balance(b)).isEqualTo(List.of(97L, 0L, 3L));
    assertThat(
            jdbc.queryForList(
                "SELECT status FROM quota_freeze WHERE xid = ? AND branch_id = ?",
                String.class,
                branch.getXid(),
                branch.getBranchId()))
        .containsExactly("CONFIRMED", "CONFIRMED");
  }

  @Test
  void givenAnOrderOfTwoChannels_cancel_releasesBoth() {
    String a = channelWith(100);
    String b = channelWith(100);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(
        branch,
        () -> action.tryFreezeQuota(branch, "o-two-" + branch.getBranchId(), twoLines(a, 5, b, 3)));

    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.cancel(branch)).isTrue();
    assertThat(balance(a)).isEqualTo(List.of(100L, 0L, 0L));
    assertThat(balance(b)).isEqualTo(List.of(100L, 0L, 0L));
  }

  @Test
  void givenTheSecondChannelShort_try_isRefusedForThatChannel_andFreezesNeither() {
    String a = channelWith(100);
    String b = channelWith(2);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(
            () ->
                fence.tryPhase(
                    branch,
                    () ->
                        action.tryFreezeQuota(
                            branch, "o-short-" + branch.getBranchId(), twoLines(a, 5, b, 3))))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PortalErrorCode.QUOTA_EXHAUSTED);
              assertThat(e.channelId()).isEqualTo(b);
            });
    assertThat(balance(a)).isEqualTo(List.of(100L, 0L, 0L));
    assertThat(balance(b)).isEqualTo(List.of(2L, 0L, 0L));
    assertThat(fenceRows(branch)).isZero();
    assertThat(reservationRows(branch)).isZero();
  }

  @Test
  void givenBadLines_service_refusesTheWholeRequest_andChangesNothing() {
    String a = channelWith(100);
    long freezesBefore = jdbc.queryForObject("SELECT COUNT(*) FROM quota_freeze", Long.class);

    assertCode(new QuotaFreezeRequest("o-1", List.of()), PortalErrorCode.INVALID_REQUEST);
    assertCode(new QuotaFreezeRequest("o-1", null), PortalErrorCode.INVALID_REQUEST);
    assertCode(
        new QuotaFreezeRequest("o-1", twoLines(a, 5, a, 3)), PortalErrorCode.INVALID_REQUEST);
    List<QuotaLine> tooMany = new ArrayList<>();
    for (int i = 0; i <= PortalService.MAX_LINES; i++) {
      tooMany.add(new QuotaLine("c-many-" + i, 1));
    }
    assertCode(new QuotaFreezeRequest("o-1", tooMany), PortalErrorCode.INVALID_REQUEST);
    List<Object> hostile = new ArrayList<>(List.of(new QuotaLine(a, 1), "not a line"));
    @SuppressWarnings("unchecked")
    List<QuotaLine> smuggled = (List<QuotaLine>) (List<?>) hostile;
    assertCode(new QuotaFreezeRequest("o-1", smuggled), PortalErrorCode.INVALID_REQUEST);
    assertCode(
        new QuotaFreezeRequest("o-1", twoLines(a, 5, nextChannel(), 0)),
        PortalErrorCode.INVALID_AMOUNT);

    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quota_freeze", Long.class))
        .isEqualTo(freezesBefore);
    assertThat(balance(a)).isEqualTo(List.of(100L, 0L, 0L));
  }

  private static List<QuotaLine> twoLines(String a, long amountA, String b, long amountB) {
    return List.of(new QuotaLine(a, amountA), new QuotaLine(b, amountB));
  }

  private static String nextChannel() {
    return "c" + CHANNELS.incrementAndGet();
  }

  @Test
  void grant_recordsWhoWhenWhy_andRefusesWithoutAReason() {
    String channel = channelWith(30);

    assertCode(() -> service.grant(channel, 5, null), PortalErrorCode.INVALID_REQUEST);
    assertCode(() -> service.grant(channel, 5, "r".repeat(129)), PortalErrorCode.INVALID_REQUEST);

    assertThat(
            jdbc.queryForList(
                "SELECT amount, operator, reason FROM quota_grant WHERE channel_id = ?", channel))
        .containsExactly(Map.of("amount", 30L, "operator", "local", "reason", "test"));
    assertThat(service.quota(channel).granted()).isEqualTo(30);
  }

  private static String channelWith(long granted) {
    String channel = nextChannel();
    ChannelQuota quota = service.grant(channel, granted, "test");
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
}
