package io.txcenter.points;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.store.FreezeRecord;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsFreezeAction;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.SettleFromContextContract;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The points freeze settled from its action context, on a real database through the fence. */
class PointsFreezeSettleIT extends SettleFromContextContract {

  private static final String CHANNEL = "ch-s";
  private static final AtomicLong USERS = new AtomicLong(70_000);
  private static final AtomicLong READS = new AtomicLong();

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PointsMapper points;
  private static PointsFreezeTcc action;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("psettle", "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    action =
        new PointsFreezeTcc(points) {
          @Override
          protected FreezeRecord findForUpdate(String xid, long branchId) {
            READS.incrementAndGet();
            return super.findForUpdate(xid, branchId);
          }
        };
    fence = new FenceHarness(action, PointsFreezeAction.NAME);
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
    return "tryFreeze";
  }

  @Override
  protected Object[] tryArguments(BusinessActionContext branch, String user, long amount) {
    return new Object[] {CHANNEL, "order-" + branch.getBranchId(), Long.parseLong(user), amount};
  }

  @Override
  protected String newResource(long amount) {
    long user = USERS.incrementAndGet();
    points.grant(CHANNEL, user, amount);
    return Long.toString(user);
  }

  /** [available, frozen, spent] of the user, after checking they add up to what was granted. */
  @Override
  protected List<Long> state(String user) {
    PointsBalance b = points.find(CHANNEL, Long.parseLong(user));
    assertThat(b.available() + b.frozen() + b.spent() - b.credited()).isEqualTo(b.granted());
    return List.of(b.available(), b.frozen(), b.spent());
  }

  @Override
  protected List<Long> expectedState(long granted, long frozen, long spent) {
    return List.of(granted - frozen - spent, frozen, spent);
  }

  @Override
  protected String reservationTable() {
    return "points_freeze";
  }

  @Override
  protected long recordReads() {
    return READS.get();
  }

  @Test
  void afterTheRoundTrip_theNumbersComeBackAsIntegers_andAreReadAsLongs() {
    BusinessActionContext branch = FenceHarness.newBranch();
    BusinessActionContext context =
        phaseTwo(branch, tryArguments(branch, Long.toString(USERS.incrementAndGet()), 300));

    // what getActionContext(key, Long.class) converts, and contextValue relies on
    assertThat(context.getActionContext("points")).isInstanceOf(Integer.class).isEqualTo(300);
    assertThat(context.getActionContext("points", Long.class)).isEqualTo(300L);
    assertThat(context.getActionContext("orderNo", String.class))
        .isEqualTo("order-" + branch.getBranchId());
    assertThat(context.getXid()).isEqualTo(branch.getXid());
    assertThat(context.getBranchId()).isEqualTo(branch.getBranchId());
  }
}
