package io.txcenter.points;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.store.CreditRecord;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditAction;
import io.txcenter.points.tcc.PointsCreditTcc;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.SettleFromContextContract;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/** The points credit settled from its action context, on a real database through the fence. */
class PointsCreditSettleIT extends SettleFromContextContract {

  private static final String CHANNEL = "ch-r";
  private static final AtomicLong USERS = new AtomicLong(80_000);
  private static final AtomicLong READS = new AtomicLong();

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PointsMapper points;
  private static PointsCreditTcc action;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("pcsettle", "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    action =
        new PointsCreditTcc(points) {
          @Override
          protected CreditRecord findForUpdate(String xid, long branchId) {
            READS.incrementAndGet();
            return super.findForUpdate(xid, branchId);
          }
        };
    fence = new FenceHarness(action, PointsCreditAction.NAME);
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
  protected Object action() {
    return action;
  }

  @Override
  protected String tryMethod() {
    return "tryCredit";
  }

  @Override
  protected Object[] tryArguments(BusinessActionContext branch, String user, long amount) {
    return new Object[] {CHANNEL, "pay-" + branch.getBranchId(), Long.parseLong(user), amount};
  }

  @Override
  protected String newResource(long amount) {
    long user = USERS.incrementAndGet();
    points.grant(CHANNEL, user, amount);
    return Long.toString(user);
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

  @Override
  protected long recordReads() {
    return READS.get();
  }
}
