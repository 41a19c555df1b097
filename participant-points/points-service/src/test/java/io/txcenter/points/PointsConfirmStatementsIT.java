package io.txcenter.points;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.Database;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.TccFence;
import io.txcenter.kit.fence.GuardedFenceHandler;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsFreezeAction;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.PhaseTwoContext;
import io.txcenter.testkit.TestDatabase;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.seata.integration.tx.api.fence.DefaultCommonFenceHandler;
import org.apache.seata.rm.fence.SpringFenceHandler;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Statements a points Confirm sends to the database (issue 16, levers 2 and 3), counted with the
 * server's {@code Questions} of the pool's one connection: Seata's fence and the record read
 * (before), against our fence and the record settled from the action context (after).
 */
class PointsConfirmStatementsIT {

  private static final Logger log = LoggerFactory.getLogger(PointsConfirmStatementsIT.class);
  private static final String CHANNEL = "ch-q";
  private static final AtomicLong USERS = new AtomicLong(90_000);

  private static String schema;
  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PlatformTransactionManager transactions;
  private static PointsMapper points;
  private static PointsFreezeTcc action;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    TestDatabase db = TestDatabase.get();
    schema = db.createSchema("pstmt");
    // one connection: every statement of a phase, and the counter read, on one session
    dataSource = Database.open("pstmt", db.url(schema), db.user(), db.password(), 1);
    SchemaMigrator.migrate(dataSource, "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    transactions = TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    action = new PointsFreezeTcc(points);
    fence = new FenceHarness(action, PointsFreezeAction.NAME);
  }

  @AfterAll
  static void dropSchema() {
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void aConfirm_takesTwoStatementsFewer_withOurFenceAndTheRecordSettledFromTheContext() {
    long before = withSeatasFence(() -> confirmStatements(false));
    long leverThree = withSeatasFence(() -> confirmStatements(true));
    long leverTwo = confirmStatements(false);
    long after = confirmStatements(true);
    log.info(
        "statements per points Confirm: before={} lever2={} lever3={} after={}",
        before,
        leverTwo,
        leverThree,
        after);

    assertThat(leverTwo).isEqualTo(before - 1);
    assertThat(leverThree).isEqualTo(before - 1);
    assertThat(after).isEqualTo(before - 2);
  }

  /**
   * Statements of one Confirm of a fresh Try: with the context Seata's RM would give it, or with
   * the harness's, which carries no values (the record is read).
   */
  private static long confirmStatements(boolean fromContext) {
    long user = USERS.incrementAndGet();
    points.grant(CHANNEL, user, 1_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> action.tryFreeze(branch, CHANNEL, order(branch), user, 300));
    BusinessActionContext phaseTwo =
        fromContext
            ? PhaseTwoContext.of(branch, action, "tryFreeze", CHANNEL, order(branch), user, 300L)
            : branch;

    long first = questions();
    long counterRead = questions() - first; // what reading the counter itself adds to it
    long start = questions();
    assertThat(fence.confirm(phaseTwo)).isTrue();
    long statements = questions() - start - counterRead;

    assertThat(points.find(CHANNEL, user).spent()).isEqualTo(300);
    return statements;
  }

  private static String order(BusinessActionContext branch) {
    return "order-" + branch.getBranchId();
  }

  private static long questions() {
    return jdbc.queryForObject(
        "SHOW SESSION STATUS LIKE 'Questions'", (rs, n) -> rs.getLong("Value"));
  }

  /** Runs {@code measured} with Seata's own fence handler, then puts ours back. */
  private static long withSeatasFence(LongSupplier measured) {
    DefaultCommonFenceHandler.get().setFenceHandler(new SpringFenceHandler());
    try {
      return measured.getAsLong();
    } finally {
      GuardedFenceHandler.install(dataSource, transactions);
    }
  }
}
