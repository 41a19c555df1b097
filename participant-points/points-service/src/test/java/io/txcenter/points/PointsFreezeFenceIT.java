package io.txcenter.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditTcc;
import io.txcenter.points.tcc.PointsFreezeAction;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TccReservationContract;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The points-freeze action on a real database, driven through Seata's fence phase by phase. */
class PointsFreezeFenceIT extends TccReservationContract {

  @Test
  void givenAMillionCharacterOrderNumber_theRefusalEchoesOnly64OfThem() {
    String huge = "o".repeat(1_000_000);

    assertThatThrownBy(() -> service.tryFreeze(new FreezeRequest(CHANNEL, huge, 1, 5)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.INVALID_REQUEST))
        .hasMessageContaining("o".repeat(64) + "…(1000000 chars)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> service.balance("c".repeat(1_000_000), 1))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PointsErrorCode.UNKNOWN_CHANNEL);
              assertThat(e.getMessage()).hasSizeLessThan(200);
              assertThat(e.channelId()).hasSizeLessThan(100);
            });
  }

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
    org.springframework.transaction.PlatformTransactionManager transactions =
        TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    action = new PointsFreezeTcc(points);
    fence = new FenceHarness(action, PointsFreezeAction.NAME);
    service =
        new PointsServiceImpl(CHANNEL, action, new PointsCreditTcc(points), points, transactions);
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
    return Long.toString(userWith(amount));
  }

  @Override
  protected void tryReserve(BusinessActionContext branch, String user, long amount) {
    freeze(branch, Long.parseLong(user), amount);
  }

  @Override
  protected void tryReserveFor(
      BusinessActionContext branch, String user, long amount, String orderNo) {
    action.tryFreeze(branch, CHANNEL, orderNo, Long.parseLong(user), amount);
  }

  /** [available, frozen, spent] of the user, after checking they add up to what was granted. */
  @Override
  protected List<Long> state(String user) {
    return balance(Long.parseLong(user));
  }

  /** Frozen points leave the available ones; spent points never come back. */
  @Override
  protected List<Long> expectedState(long granted, long frozen, long spent) {
    return List.of(granted - frozen - spent, frozen, spent);
  }

  @Override
  protected String reservationTable() {
    return "points_freeze";
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
    assertThat(reservationRows(branch)).isZero();
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
    assertThatThrownBy(() -> service.grant(CHANNEL, user, -1, "test"))
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

  @Test
  void grant_recordsWhoWhenWhy_inTheSameTransaction() {
    long user = USERS.incrementAndGet();

    service.grant(CHANNEL, user, 40, "welcome bonus");
    service.grant(CHANNEL, user, 2, "goodwill, ticket 88");

    assertThat(
            jdbc.queryForList(
                "SELECT points, operator, reason FROM points_grant"
                    + " WHERE channel_id = ? AND user_id = ? ORDER BY id",
                CHANNEL,
                user))
        .containsExactly(
            Map.of("points", 40L, "operator", "local", "reason", "welcome bonus"),
            Map.of("points", 2L, "operator", "local", "reason", "goodwill, ticket 88"));
    assertThat(service.balance(CHANNEL, user).granted()).isEqualTo(42);
  }

  @Test
  void grant_withoutAnAcceptableReason_isRefused_andChangesNothing() {
    long user = USERS.incrementAndGet();

    for (String reason : new String[] {null, "", "x".repeat(129), "<script>"}) {
      assertThatThrownBy(() -> service.grant(CHANNEL, user, 5, reason))
          .isInstanceOfSatisfying(
              PointsException.class,
              e -> assertThat(e.code()).isEqualTo(PointsErrorCode.INVALID_REQUEST));
    }

    assertThat(
            jdbc.queryForObject(
                "SELECT (SELECT COUNT(*) FROM user_points WHERE user_id = ?)"
                    + " + (SELECT COUNT(*) FROM points_grant WHERE user_id = ?)",
                Long.class,
                user,
                user))
        .isZero();
  }

  private static long userWith(long granted) {
    long user = USERS.incrementAndGet();
    PointsBalance balance = service.grant(CHANNEL, user, granted, "test");
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
}
