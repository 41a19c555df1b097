package io.txcenter.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.points.api.CreditRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditAction;
import io.txcenter.points.tcc.PointsCreditTcc;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TccReservationContract;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The points-credit action on a real database, driven through Seata's fence phase by phase. */
class PointsCreditFenceIT extends TccReservationContract {

  private static final String CHANNEL = "ch-c";
  private static final AtomicLong USERS = new AtomicLong(50_000);

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PointsMapper points;
  private static PointsCreditTcc action;
  private static FenceHarness fence;
  private static PointsServiceImpl service;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("pcredit", "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    org.springframework.transaction.PlatformTransactionManager transactions =
        TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    action = new PointsCreditTcc(points);
    fence = new FenceHarness(action, PointsCreditAction.NAME);
    service =
        new PointsServiceImpl(CHANNEL, new PointsFreezeTcc(points), action, points, transactions);
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
    long user = USERS.incrementAndGet();
    service.grant(CHANNEL, user, amount, "test");
    return String.valueOf(user);
  }

  @Override
  protected void tryReserve(BusinessActionContext branch, String user, long amount) {
    action.tryCredit(branch, CHANNEL, "pay-" + branch.getBranchId(), Long.parseLong(user), amount);
  }

  @Override
  protected void tryReserveFor(
      BusinessActionContext branch, String user, long amount, String bizNo) {
    action.tryCredit(branch, CHANNEL, bizNo, Long.parseLong(user), amount);
  }

  /** [available, pending credits, credited]; checks the channel's conservation law too. */
  @Override
  protected List<Long> state(String user) {
    PointsBalance b = points.find(CHANNEL, Long.parseLong(user));
    assertThat(b.available() + b.frozen() + b.spent() - b.credited()).isEqualTo(b.granted());
    Long pending =
        jdbc.queryForObject(
            "SELECT COALESCE(SUM(points), 0) FROM points_credit WHERE user_id = ? AND status ="
                + " 'TRIED'",
            Long.class,
            Long.parseLong(user));
    return List.of(b.available(), pending, b.credited());
  }

  /** A tried credit is only pending; a confirmed one joins available. */
  @Override
  protected List<Long> expectedState(long granted, long pending, long credited) {
    return List.of(granted + credited, pending, credited);
  }

  @Override
  protected String reservationTable() {
    return "points_credit";
  }

  @Test
  void givenAUserNewToTheChannel_credit_opensTheAccount_andConfirmMakesThePointsSpendable() {
    long user = USERS.incrementAndGet();
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> action.tryCredit(branch, CHANNEL, "pay-new", user, 40));
    assertThat(points.find(CHANNEL, user).available()).isZero();
    fence.confirm(branch);

    PointsBalance balance = points.find(CHANNEL, user);
    assertThat(List.of(balance.available(), balance.credited(), balance.granted()))
        .isEqualTo(List.of(40L, 40L, 0L));
  }

  @Test
  void givenBadCreditRequests_service_refusesWithStableCodes() {
    assertCode(new CreditRequest(CHANNEL, "pay-1", 7, 0), PointsErrorCode.INVALID_AMOUNT);
    assertCode(
        new CreditRequest(CHANNEL, "pay-1", 7, PointsService.MAX_POINTS + 1),
        PointsErrorCode.INVALID_AMOUNT);
    assertCode(new CreditRequest("ch-zz", "pay-1", 7, 5), PointsErrorCode.UNKNOWN_CHANNEL);
    assertCode(new CreditRequest(CHANNEL, "pay 1", 7, 5), PointsErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest(CHANNEL, "pay-1", -7, 5), PointsErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest(CHANNEL, "pay-1", 7, 5), PointsErrorCode.NO_GLOBAL_TRANSACTION);
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM points_credit WHERE biz_no = 'pay-1'", Long.class))
        .isZero();
  }

  private static void assertCode(CreditRequest request, PointsErrorCode code) {
    assertThatThrownBy(() -> service.tryCredit(request))
        .isInstanceOfSatisfying(PointsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
