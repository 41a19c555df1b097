package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.TccFence;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsFreezeAction;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testkit.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.seata.integration.tx.api.fence.hook.TccHook;
import org.apache.seata.integration.tx.api.fence.hook.TccHookManager;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The action context of a Confirm as a real TC hands it back (issue 16, lever 3): this JVM is the
 * RM of a points-freeze action on a schema of its own, registers its branch with the shared
 * topology's TC, and the TC's branch commit brings the Try's values back, numbers as the JSON
 * parser reads them; the Confirm settles from them without reading the freeze record.
 */
@ExtendWith(SharedTopology.class)
class PhaseTwoContextIT {

  private static final String CHANNEL = "ch-ctx";

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PointsMapper points;
  private static PointsFreezeAction freeze;
  private static final List<String> mapperCalls = new CopyOnWriteArrayList<>();
  private static final Map<String, BusinessActionContext> confirmed = new HashMap<>();

  @BeforeAll
  static void becomeAPointsParticipant() {
    SharedTopology.seataClient();
    dataSource = TestDatabase.get().freshSchema("ctxit", "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    points = recording(MyBatisStore.open(dataSource, "mapper/PointsMapper.xml"));
    freeze = ParticipantRuntime.tccProxy(new PointsFreezeTcc(points));
    TccHookManager.registerHook(new ConfirmContexts());
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void theTcsBranchCommit_bringsTheTrysValuesBack_andTheConfirmReadsNoRecord() throws Exception {
    long user = 4_242;
    points.grant(CHANNEL, user, 1_000);
    GlobalTransaction tx = GlobalTransactionContext.createNew();
    tx.begin(30_000, "phaseTwoContextIT");
    try {
      freeze.tryFreeze(null, CHANNEL, "ctx-order-1", user, 300);
    } catch (RuntimeException e) {
      tx.rollback();
      throw e;
    }
    String xid = tx.getXid();
    mapperCalls.clear();
    tx.commit();

    await().atMost(Duration.ofSeconds(30)).until(() -> "CONFIRMED".equals(freezeStatus(xid)));
    BusinessActionContext context;
    synchronized (confirmed) {
      context = confirmed.get(xid);
    }
    assertThat(context).isNotNull();
    // what the TC gave back: strings as strings, the longs as the JSON parser reads them
    assertThat(context.getActionContext("channelId")).isEqualTo(CHANNEL);
    assertThat(context.getActionContext("orderNo")).isEqualTo("ctx-order-1");
    assertThat(context.getActionContext("userId")).isInstanceOf(Integer.class);
    assertThat(context.getActionContext("points")).isInstanceOf(Integer.class);
    assertThat(context.getActionContext("userId", Long.class)).isEqualTo(user);
    assertThat(context.getActionContext("points", Long.class)).isEqualTo(300L);
    // settled from them: the guarded settle and the spend, no read of the freeze record
    assertThat(mapperCalls).containsExactly("settleFreezeIfTried", "spendFrozen");
    assertThat(points.find(CHANNEL, user).spent()).isEqualTo(300);
    assertThat(
            jdbc.queryForObject(
                "SELECT status FROM tcc_fence_log WHERE xid = ?", Integer.class, xid))
        .isEqualTo(2);
  }

  private static String freezeStatus(String xid) {
    List<String> status =
        jdbc.queryForList("SELECT status FROM points_freeze WHERE xid = ?", String.class, xid);
    return status.isEmpty() ? null : status.get(0);
  }

  /** The mapper of {@code sql}, recording the name of every method called on it. */
  private static PointsMapper recording(org.mybatis.spring.SqlSessionTemplate sql) {
    PointsMapper mapper = sql.getMapper(PointsMapper.class);
    return (PointsMapper)
        Proxy.newProxyInstance(
            PointsMapper.class.getClassLoader(),
            new Class<?>[] {PointsMapper.class},
            (proxy, method, args) -> {
              mapperCalls.add(method.getName());
              try {
                return method.invoke(mapper, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Keeps the context Seata's RM built for each Confirm of this action. */
  private static final class ConfirmContexts implements TccHook {
    @Override
    public void beforeTccCommit(
        String xid, Long branchId, String actionName, BusinessActionContext context) {
      if (PointsFreezeAction.NAME.equals(actionName)) {
        synchronized (confirmed) {
          confirmed.put(xid, context);
        }
      }
    }

    @Override
    public void beforeTccPrepare(
        String xid, Long branchId, String actionName, BusinessActionContext context) {}

    @Override
    public void afterTccPrepare(
        String xid, Long branchId, String actionName, BusinessActionContext context) {}

    @Override
    public void afterTccCommit(
        String xid, Long branchId, String actionName, BusinessActionContext context) {}

    @Override
    public void beforeTccRollback(
        String xid, Long branchId, String actionName, BusinessActionContext context) {}

    @Override
    public void afterTccRollback(
        String xid, Long branchId, String actionName, BusinessActionContext context) {}
  }
}
