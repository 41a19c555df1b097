package io.txcenter.kit.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txcenter.kit.Database;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.TccFence;
import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TestDatabase;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.seata.common.executor.Callback;
import org.apache.seata.integration.tx.api.fence.DefaultCommonFenceHandler;
import org.apache.seata.integration.tx.api.fence.FenceHandler;
import org.apache.seata.rm.fence.SpringFenceHandler;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link GuardedFenceHandler} on a real database: a {@code tried} branch settles on the fast path
 * (one statement fewer than Seata's handler, Seata's handler never asked); every other state goes
 * to Seata's algorithm and gets Seata's answer; the phase's result, errors and isolation are
 * handled as Seata handles them.
 */
class GuardedFenceHandlerIT {

  private static String schema;
  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PlatformTransactionManager transactions;

  private final CountingSeata seata = new CountingSeata();
  private final SampleAction action = new SampleAction();
  private final FenceHarness fence = new FenceHarness(action, "sample");

  @BeforeAll
  static void openSchema() {
    TestDatabase db = TestDatabase.get();
    schema = db.createSchema("gfence");
    // one connection: the statement counter is the session's
    dataSource = Database.open("gfence", db.url(schema), db.user(), db.password(), 1);
    SchemaMigrator.migrate(dataSource, "common");
    jdbc = new JdbcTemplate(dataSource);
    jdbc.execute(
        "CREATE TABLE phase_log (xid VARCHAR(128) NOT NULL, branch_id BIGINT NOT NULL,"
            + " phase VARCHAR(16) NOT NULL, isolation INT NOT NULL)");
    transactions = TccFence.install(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    GuardedFenceHandler.install(dataSource, transactions);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @BeforeEach
  void useTheHandlerWithACountingSeata() {
    DefaultCommonFenceHandler.get()
        .setFenceHandler(new GuardedFenceHandler(seata, dataSource, transactions));
  }

  @AfterEach
  void restoreTheInstalledHandler() {
    GuardedFenceHandler.install(dataSource, transactions);
  }

  @Test
  void givenATriedBranch_confirm_settlesOnTheFastPath_withoutSeata() {
    BusinessActionContext branch = tried();

    assertThat(fence.confirm(branch)).isTrue();

    assertThat(fenceStatus(branch)).isEqualTo(2);
    assertThat(phases(branch)).containsExactly("confirm");
    assertThat(seata.calls).containsExactly("prepare");
  }

  @Test
  void givenATriedBranch_cancel_settlesOnTheFastPath_withoutSeata() {
    BusinessActionContext branch = tried();

    assertThat(fence.cancel(branch)).isTrue();

    assertThat(fenceStatus(branch)).isEqualTo(3);
    assertThat(phases(branch)).containsExactly("cancel");
    assertThat(seata.calls).containsExactly("prepare");
  }

  @Test
  void theFastPath_isOneStatementShorterThanSeatasHandler_forConfirmAndCancel() {
    FenceHandler seatas = new SpringFenceHandler();
    long seataConfirm = statements(seatas, b -> fence.confirm(b));
    long seataCancel = statements(seatas, b -> fence.cancel(b));
    long ourConfirm =
        statements(new GuardedFenceHandler(seata, dataSource, transactions), b -> fence.confirm(b));
    long ourCancel =
        statements(new GuardedFenceHandler(seata, dataSource, transactions), b -> fence.cancel(b));

    assertThat(ourConfirm).isEqualTo(seataConfirm - 1);
    assertThat(ourCancel).isEqualTo(seataCancel - 1);
  }

  @Test
  void theFallback_costsTheEmptyLocalTransactionOfTheFastPath_andTheEventsRead_fiveStatements() {
    FenceHandler seatas = new SpringFenceHandler();
    FenceHandler ours = new GuardedFenceHandler(seata, dataSource, transactions);
    long seataEmptyRollback = statements(seatas, FenceHarness.newBranch(), b -> fence.cancel(b));
    long ourEmptyRollback = statements(ours, FenceHarness.newBranch(), b -> fence.cancel(b));

    // SET autocommit=0, the update that changes no row, COMMIT, SET autocommit=1, and the read of
    // the row that names the fence event for the metrics (off the common path only)
    assertThat(ourEmptyRollback).isEqualTo(seataEmptyRollback + 5);
  }

  @Test
  void givenAConfirmedBranch_aRepeatedConfirm_isSeatasAnswer_andRunsNothing() {
    BusinessActionContext branch = tried();
    fence.confirm(branch);

    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fence.cancel(branch)).isFalse();

    assertThat(fenceStatus(branch)).isEqualTo(2);
    assertThat(phases(branch)).containsExactly("confirm");
    assertThat(seata.calls).containsExactly("prepare", "commit", "rollback");
  }

  @Test
  void givenACancelledBranch_aRepeatedCancelOrALateConfirm_isSeatasAnswer_andRunsNothing() {
    BusinessActionContext branch = tried();
    fence.cancel(branch);

    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.confirm(branch)).isFalse();

    assertThat(fenceStatus(branch)).isEqualTo(3);
    assertThat(phases(branch)).containsExactly("cancel");
  }

  @Test
  void givenNoTry_cancel_isTheEmptyRollback_andALateTryIsRefused() {
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence.cancel(branch)).isTrue();

    assertThat(fenceStatus(branch)).isEqualTo(4);
    assertThat(phases(branch)).isEmpty();
    assertThatThrownBy(() -> fence.tryPhase(branch, () -> {}))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).isTrue());
    assertThat(seata.calls).containsExactly("rollback", "prepare");
  }

  @Test
  void givenAParkedBranch_confirmAndCancel_areRefusedWithoutRunning_untilItIsReleased() {
    BusinessActionContext branch = tried();
    setStatus(branch, FenceParking.STATUS_PARKED);

    assertThatThrownBy(() -> fence.confirm(branch))
        .isInstanceOf(FenceParking.BranchParkedException.class)
        .hasMessageContaining("branch parked");
    assertThatThrownBy(() -> fence.cancel(branch))
        .isInstanceOf(FenceParking.BranchParkedException.class);
    assertThat(fenceStatus(branch)).isEqualTo(FenceParking.STATUS_PARKED);
    assertThat(phases(branch)).isEmpty();

    setStatus(branch, 1); // bin/txc tx retry
    assertThat(fence.confirm(branch)).isTrue(); // the TC's next retry
    assertThat(fenceStatus(branch)).isEqualTo(2);
    assertThat(phases(branch)).containsExactly("confirm");
  }

  @Test
  void givenAPhaseTwoFailingForLongerThanTheBound_isParked_untilTheParticipantStarts() {
    System.setProperty(FenceParking.PARK_AFTER_SETTING, "PT30S");
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    try {
      DefaultCommonFenceHandler.get()
          .setFenceHandler(new GuardedFenceHandler(seata, dataSource, transactions, now::get));
      BusinessActionContext recovering = tried();
      BusinessActionContext failing = tried();
      action.failure = new IllegalStateException("downstream down");

      now.set(0);
      assertThatThrownBy(() -> fence.confirm(failing)).hasMessage("downstream down");
      now.set(20_000);
      assertThatThrownBy(() -> fence.confirm(recovering)).hasMessage("downstream down");
      now.set(29_000);
      assertThatThrownBy(() -> fence.confirm(failing)).hasMessage("downstream down");
      assertThat(fenceStatus(failing)).isEqualTo(1); // failing for 29 s only
      now.set(31_000);
      assertThatThrownBy(() -> fence.confirm(failing)).hasMessage("downstream down");
      assertThatThrownBy(() -> fence.confirm(recovering)).hasMessage("downstream down");

      // failing for 31 s: parked, and its retries refused without running; the other for 11 s
      assertThat(fenceStatus(failing)).isEqualTo(FenceParking.STATUS_AUTO_PARKED);
      assertThat(fenceStatus(recovering)).isEqualTo(1);
      int calls = action.calls.get();
      assertThatThrownBy(() -> fence.confirm(failing))
          .isInstanceOf(FenceParking.BranchParkedException.class);
      assertThat(action.calls).hasValue(calls);

      // a success settles the other one
      action.failure = null;
      assertThat(fence.confirm(recovering)).isTrue();

      // the participant starts again (its provider re-registers): the parked branch goes back
      assertThat(FenceParking.releaseAutoParked(dataSource)).isEqualTo(1);
      assertThat(fence.confirm(failing)).isTrue();
      assertThat(fenceStatus(failing)).isEqualTo(2);
    } finally {
      System.clearProperty(FenceParking.PARK_AFTER_SETTING);
      action.failure = null;
    }
  }

  @Test
  void givenNoTry_confirm_failsSoTheCoordinatorRetries_andWritesNothing() {
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.confirm(branch)).hasMessageContaining("not exists");

    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM tcc_fence_log WHERE xid = ?", Long.class, branch.getXid()))
        .isZero();
  }

  @Test
  void givenAPhaseThatReturnsFalse_theFenceRowAndThePhasesWritesRollBack() {
    BusinessActionContext branch = tried();
    action.refuse = true;

    assertThat(fence.confirm(branch)).isFalse();

    assertThat(fenceStatus(branch)).isEqualTo(1);
    assertThat(phases(branch)).isEmpty();
    assertThat(action.calls).hasValue(1);
  }

  @Test
  void givenAPhaseThatThrows_itsErrorReachesTheCaller_andNothingIsWritten() {
    BusinessActionContext branch = tried();
    action.failure = new IllegalStateException("nothing left to confirm");

    assertThatThrownBy(() -> fence.confirm(branch))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("nothing left to confirm");

    assertThat(fenceStatus(branch)).isEqualTo(1);
    assertThat(phases(branch)).isEmpty();
    action.failure = null;
    assertThat(fence.confirm(branch)).isTrue(); // the TC's retry
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void thePhase_runsAtTheIsolationOfItsTransactionalAnnotation_asSeataChoosesIt() {
    SerializableAction serializable = new SerializableAction();
    FenceHarness harness = new FenceHarness(serializable, "serializable");
    BusinessActionContext confirmed = FenceHarness.newBranch();
    BusinessActionContext cancelled = FenceHarness.newBranch();
    harness.tryPhase(confirmed, () -> {});
    harness.tryPhase(cancelled, () -> {});

    harness.confirm(confirmed);
    harness.cancel(cancelled);

    // the pool's sessions are READ COMMITTED: the level comes from the annotation
    assertThat(isolation(confirmed)).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    assertThat(isolation(cancelled)).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    BusinessActionContext plain = tried();
    fence.confirm(plain);
    assertThat(isolation(plain)).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
  }

  @Test
  void everyPhaseAndEveryFenceEvent_isCountedByActionAndOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      BusinessActionContext confirmed = tried();
      confirmed.setActionName("sample");
      fence.confirm(confirmed);
      fence.confirm(confirmed); // a duplicate Confirm, absorbed
      BusinessActionContext empty = FenceHarness.newBranch();
      empty.setActionName("sample");
      fence.cancel(empty); // the empty rollback
      assertThatThrownBy(() -> fence.tryPhase(empty, () -> {})); // refused: suspended
      BusinessActionContext refused = tried();
      refused.setActionName("sample");
      action.refuse = true;
      fence.cancel(refused); // the phase answers false

      assertThat(count(registry, "txc.branch.phases", "phase", "try", "outcome", "ok"))
          .isEqualTo(2);
      assertThat(count(registry, "txc.branch.phases", "phase", "try", "outcome", "failed"))
          .isEqualTo(1);
      assertThat(count(registry, "txc.branch.phases", "phase", "confirm", "outcome", "ok"))
          .isEqualTo(2);
      assertThat(count(registry, "txc.branch.phases", "phase", "cancel", "outcome", "ok"))
          .isEqualTo(1);
      assertThat(count(registry, "txc.branch.phases", "phase", "cancel", "outcome", "failed"))
          .isEqualTo(1);
      assertThat(count(registry, "txc.fence.events", "event", "duplicate_absorbed")).isEqualTo(1);
      assertThat(count(registry, "txc.fence.events", "event", "empty_rollback")).isEqualTo(1);
      assertThat(count(registry, "txc.fence.events", "event", "suspension_refused")).isEqualTo(1);
      assertThat(
              registry
                  .get("txc.branch.phase")
                  .tags("action", "sample", "phase", "confirm")
                  .timer()
                  .count())
          .isEqualTo(2);
    } finally {
      action.refuse = false;
      Metrics.removeRegistry(registry);
    }
  }

  private static double count(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.get(name).tag("action", "sample").tags(tags).counter().count();
  }

  @Test
  void theCleanTasksDelete_isSeatas() {
    BusinessActionContext branch = tried();
    fence.confirm(branch);

    // the clean task deletes the settled rows last modified before the date it passes
    assertThat(
            DefaultCommonFenceHandler.get()
                .deleteFenceByDate(new Date(System.currentTimeMillis() + 86_400_000L)))
        .isPositive();

    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM tcc_fence_log WHERE xid = ?", Long.class, branch.getXid()))
        .isZero();
    assertThat(seata.calls).containsExactly("prepare", "delete");
  }

  private BusinessActionContext tried() {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> {});
    return branch;
  }

  /** Statements of one phase of a fresh tried branch through {@code handler}. */
  private long statements(FenceHandler handler, Consumer<BusinessActionContext> phase) {
    return statements(handler, tried(), phase);
  }

  /** Statements of one phase of {@code branch} through {@code handler}. */
  private long statements(
      FenceHandler handler, BusinessActionContext branch, Consumer<BusinessActionContext> phase) {
    DefaultCommonFenceHandler.get().setFenceHandler(handler);
    try {
      LongSupplier questions =
          () ->
              jdbc.queryForObject(
                  "SHOW SESSION STATUS LIKE 'Questions'", (rs, n) -> rs.getLong("Value"));
      long first = questions.getAsLong();
      long counterRead = questions.getAsLong() - first;
      long start = questions.getAsLong();
      phase.accept(branch);
      return questions.getAsLong() - start - counterRead;
    } finally {
      DefaultCommonFenceHandler.get()
          .setFenceHandler(new GuardedFenceHandler(seata, dataSource, transactions));
    }
  }

  private static void setStatus(BusinessActionContext branch, int status) {
    jdbc.update(
        "UPDATE tcc_fence_log SET status = ? WHERE xid = ? AND branch_id = ?",
        status,
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

  private static List<String> phases(BusinessActionContext branch) {
    return jdbc.queryForList(
        "SELECT phase FROM phase_log WHERE xid = ? AND branch_id = ?",
        String.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static int isolation(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT isolation FROM phase_log WHERE xid = ? AND branch_id = ?",
        Integer.class,
        branch.getXid(),
        branch.getBranchId());
  }

  /** Records the phase, and the isolation it ran at, in the fence's local transaction. */
  static void log(BusinessActionContext context, String phase) {
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      jdbc.update(
          "INSERT INTO phase_log (xid, branch_id, phase, isolation) VALUES (?, ?, ?, ?)",
          context.getXid(),
          context.getBranchId(),
          phase,
          connection.getTransactionIsolation());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /** A phase-two bean as the participants write them: TccBranch's READ COMMITTED. */
  public static class SampleAction implements TccBranch {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean refuse;
    volatile RuntimeException failure;

    @Override
    public boolean confirm(BusinessActionContext context) {
      return phase(context, "confirm");
    }

    @Override
    public boolean cancel(BusinessActionContext context) {
      return phase(context, "cancel");
    }

    private boolean phase(BusinessActionContext context, String phase) {
      calls.incrementAndGet();
      log(context, phase);
      if (failure != null) {
        throw failure;
      }
      return !refuse;
    }
  }

  /** A phase-two bean whose own annotation asks for SERIALIZABLE. */
  public static class SerializableAction implements TccBranch {
    @Override
    @Transactional(isolation = Isolation.SERIALIZABLE)
    public boolean confirm(BusinessActionContext context) {
      log(context, "confirm");
      return true;
    }

    @Override
    @Transactional(isolation = Isolation.SERIALIZABLE)
    public boolean cancel(BusinessActionContext context) {
      log(context, "cancel");
      return true;
    }
  }

  /** Seata's handler, recording which of its methods the guarded handler asked. */
  static final class CountingSeata implements FenceHandler {
    final List<String> calls = new ArrayList<>();
    private final FenceHandler seata = new SpringFenceHandler();

    @Override
    public Object prepareFence(
        String xid, Long branchId, String actionName, Callback<Object> targetCallback) {
      calls.add("prepare");
      return seata.prepareFence(xid, branchId, actionName, targetCallback);
    }

    @Override
    public boolean commitFence(
        Method commitMethod, Object targetTCCBean, String xid, Long branchId, Object[] args) {
      calls.add("commit");
      return seata.commitFence(commitMethod, targetTCCBean, xid, branchId, args);
    }

    @Override
    public boolean rollbackFence(
        Method rollbackMethod,
        Object targetTCCBean,
        String xid,
        Long branchId,
        Object[] args,
        String actionName) {
      calls.add("rollback");
      return seata.rollbackFence(rollbackMethod, targetTCCBean, xid, branchId, args, actionName);
    }

    @Override
    public int deleteFenceByDate(Date datetime) {
      calls.add("delete");
      return seata.deleteFenceByDate(datetime);
    }
  }
}
