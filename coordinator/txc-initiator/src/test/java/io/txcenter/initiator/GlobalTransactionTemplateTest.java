package io.txcenter.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txcenter.kit.Settings;
import io.txcenter.kit.fence.FenceRetention;
import java.util.ArrayList;
import java.util.List;
import org.apache.seata.common.exception.FrameworkErrorCode;
import org.apache.seata.common.exception.FrameworkException;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionRole;
import org.apache.seata.tm.api.transaction.SuspendedResourcesHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each outcome of a global transaction, on a fake transaction: no TC needed. */
class GlobalTransactionTemplateTest {

  private static final String XID = "127.0.0.1:8091:42";
  private static final String KEY = "o-1";

  /** The caller's typed error. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private final Logger log = (Logger) LoggerFactory.getLogger(GlobalTransactionTemplateTest.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final FakeTransaction tx = new FakeTransaction();
  private final GlobalTransactionTemplate template =
      new GlobalTransactionTemplate(log, "order", "order", 5_000, () -> tx);
  private final Recorder work = new Recorder();

  @BeforeEach
  void captureLogs() {
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void cleanUp() {
    log.detachAppender(logged);
    RootContext.unbind();
  }

  @Test
  void aTimeoutLongerThanTheTopologysLongest_isRefusedAtConstruction() {
    // the participants keep fence rows for a time computed from txc.tx.max-timeout.ms (60 s)
    assertThatThrownBy(() -> new GlobalTransactionTemplate(log, "order", "order", 60_001, () -> tx))
        .isInstanceOf(Settings.SettingException.class)
        .hasMessageContaining("txc.tx.max-timeout.ms")
        .hasMessageContaining("60001 ms");
    assertThat(new GlobalTransactionTemplate(log, "order", "order", 60_000, () -> tx)).isNotNull();

    System.setProperty(FenceRetention.MAX_TIMEOUT_SETTING, "120000");
    try {
      assertThat(new GlobalTransactionTemplate(log, "order", "order", 90_000, () -> tx))
          .isNotNull();
    } finally {
      System.clearProperty(FenceRetention.MAX_TIMEOUT_SETTING);
    }
  }

  @Test
  void givenABeginFailure_theCallerGetsItsTypedError_andNothingRuns() {
    tx.beginFails = new TransactionException("no TC");

    assertThatThrownBy(() -> template.execute("placeOrder", KEY, work))
        .isInstanceOf(Refused.class)
        .hasMessage("unavailable: no TC");

    assertThat(work.calls).containsExactly("unavailable");
    assertThat(RootContext.getXID()).isNull();
  }

  @Test
  void givenAnUnreachableCoordinator_theUncheckedBeginFailure_isTypedToo() {
    tx.beginFails =
        new FrameworkException("can not connect to services-server", FrameworkErrorCode.NetConnect);

    assertThatThrownBy(() -> template.execute("placeOrder", KEY, work))
        .isInstanceOf(Refused.class)
        .hasMessage("unavailable: can not connect to services-server");
    assertThat(work.calls).containsExactly("unavailable");
  }

  @Test
  void givenASuccessfulBody_itRunsWithTheXidBound_thenCommits_andTheXidIsUnbound() {
    String result = template.execute("placeOrder", KEY, work);

    assertThat(tx.began).isEqualTo("placeOrder/5000");
    assertThat(work.xidInBody).isEqualTo(XID);
    assertThat(tx.calls).containsExactly("begin", "commit");
    assertThat(work.calls).containsExactly("run", "committed acknowledged");
    assertThat(result).isEqualTo("committed");
    // the fake's commit does not unbind, as Seata's does: the template did
    assertThat(RootContext.getXID()).isNull();
    assertThat(logged.list).isEmpty();
  }

  @Test
  void everyOutcome_isCountedAndTimedByNameAndOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      template.execute("metered", KEY, work); // committed
      tx.localStatus = GlobalStatus.TimeoutRollbacking;
      template.execute("metered", KEY, work); // the TC timed it out before the commit
      tx.localStatus = GlobalStatus.Committed;
      work.bodyFails = new IllegalStateException("points refused");
      template.execute("metered", KEY, work); // rolled back
      tx.rollbackFails = new TransactionException("TC gone");
      template.execute("metered", KEY, work); // the rollback not acknowledged
      work.bodyFails = null;
      tx.beginFails = new TransactionException("no TC");
      assertThatThrownBy(() -> template.execute("metered", KEY, work));

      assertThat(outcomes(registry))
          .containsEntry("begun", 4.0)
          .containsEntry("committed", 1.0)
          .containsEntry("timed_out", 1.0)
          .containsEntry("rolled_back", 1.0)
          .containsEntry("failed", 1.0)
          .containsEntry("not_begun", 1.0);
      assertThat(
              registry
                  .get("txc.global.transaction")
                  .tags("name", "metered", "outcome", "committed")
                  .timer()
                  .count())
          .isEqualTo(1);
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  private static java.util.Map<String, Double> outcomes(SimpleMeterRegistry registry) {
    java.util.Map<String, Double> counts = new java.util.TreeMap<>();
    registry
        .get("txc.global.transactions")
        .tag("name", "metered")
        .counters()
        .forEach(c -> counts.put(c.getId().getTag("outcome"), c.count()));
    return counts;
  }

  @Test
  void givenABodyFailure_andARollbackRefused_theRefusalIsLogged_andTheFailureHandlerDecides() {
    work.bodyFails = new IllegalStateException("points refused");
    tx.rollbackFails = new TransactionException("TC gone");

    String result = template.execute("placeOrder", KEY, work);

    assertThat(result).isEqualTo("failed: points refused");
    assertThat(tx.calls).containsExactly("begin", "rollback");
    assertThat(work.calls).containsExactly("run", "failed");
    assertThat(work.xidInHandler).as("the handler runs with the XID unbound").isNull();
    assertThat(RootContext.getXID()).isNull();
    assertThat(logged.list).hasSize(1);
    ILoggingEvent line = logged.list.get(0);
    assertThat(line.getLevel()).isEqualTo(Level.ERROR);
    assertThat(line.getMessage()).isEqualTo("order rollback not acknowledged xid={} order={}");
    assertThat(line.getFormattedMessage())
        .isEqualTo("order rollback not acknowledged xid=" + XID + " order=" + KEY);
    assertThat(line.getThrowableProxy().getMessage()).isEqualTo("TC gone");
  }

  @Test
  void givenABodyFailure_theHandlersTypedError_reachesTheCaller_andTheXidIsUnbound() {
    work.bodyFails = new IllegalStateException("portal refused");
    work.failedThrows = true;

    assertThatThrownBy(() -> template.execute("placeOrder", KEY, work))
        .isInstanceOf(Refused.class)
        .hasMessage("typed: portal refused");

    assertThat(tx.calls).containsExactly("begin", "rollback");
    assertThat(RootContext.getXID()).isNull();
    assertThat(logged.list).isEmpty();
  }

  @Test
  void givenACommitNotAcknowledged_itIsLogged_notThrown_andTheCallerStillGetsItsResult() {
    tx.commitFails = new FrameworkException("commit timed out");

    String result = template.execute("placeOrder", KEY, work);

    assertThat(result).isEqualTo("committed");
    assertThat(work.calls).containsExactly("run", "committed not acknowledged: commit timed out");
    assertThat(RootContext.getXID()).isNull();
    assertThat(logged.list).hasSize(1);
    assertThat(logged.list.get(0).getLevel()).isEqualTo(Level.ERROR);
    assertThat(logged.list.get(0).getFormattedMessage())
        .isEqualTo("order commit not acknowledged xid=" + XID + " order=" + KEY);
  }

  @Test
  void givenAnErrorInTheBody_nothingIsRolledBackHere_butTheXidIsUnbound() {
    work.bodyError = new AssertionError("boom");

    assertThatThrownBy(() -> template.execute("placeOrder", KEY, work)).hasMessage("boom");

    assertThat(tx.calls).containsExactly("begin");
    assertThat(RootContext.getXID()).isNull();
  }

  /** The caller's side: records what the template called, and answers as a caller would. */
  private static final class Recorder implements GlobalWork<String> {
    final List<String> calls = new ArrayList<>();
    RuntimeException bodyFails;
    Error bodyError;
    boolean failedThrows;
    String xidInBody;
    String xidInHandler = "not called";

    @Override
    public RuntimeException coordinatorUnavailable(Exception cause) {
      calls.add("unavailable");
      return new Refused("unavailable: " + cause.getMessage());
    }

    @Override
    public void run(String xid) {
      calls.add("run");
      xidInBody = RootContext.getXID();
      if (bodyError != null) {
        throw bodyError;
      }
      if (bodyFails != null) {
        throw bodyFails;
      }
    }

    @Override
    public String failed(String xid, RuntimeException cause) {
      calls.add("failed");
      xidInHandler = RootContext.getXID();
      if (failedThrows) {
        throw new Refused("typed: " + cause.getMessage());
      }
      return "failed: " + cause.getMessage();
    }

    @Override
    public String committed(String xid, Exception notAcknowledged) {
      calls.add(
          notAcknowledged == null
              ? "committed acknowledged"
              : "committed not acknowledged: " + notAcknowledged.getMessage());
      return "committed";
    }
  }

  /**
   * A global transaction without a TC: begin binds the XID as Seata's does; commit and rollback do
   * not unbind it (Seata's do), so the template's own unbinding is what the tests see.
   */
  private static final class FakeTransaction implements GlobalTransaction {
    final List<String> calls = new ArrayList<>();
    Exception beginFails;
    Exception commitFails;
    GlobalStatus localStatus = GlobalStatus.Committed;
    Exception rollbackFails;
    String began;
    String xid;

    @Override
    public void begin(int timeout, String name) throws TransactionException {
      calls.add("begin");
      began = name + "/" + timeout;
      fail(beginFails);
      xid = XID;
      RootContext.bind(xid);
    }

    @Override
    public void commit() throws TransactionException {
      calls.add("commit");
      fail(commitFails);
    }

    @Override
    public void rollback() throws TransactionException {
      calls.add("rollback");
      fail(rollbackFails);
    }

    private static void fail(Exception e) throws TransactionException {
      if (e instanceof TransactionException checked) {
        throw checked;
      }
      if (e != null) {
        throw (RuntimeException) e;
      }
    }

    @Override
    public String getXid() {
      return xid;
    }

    @Override
    public void begin() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void begin(int timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SuspendedResourcesHolder suspend() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SuspendedResourcesHolder suspend(boolean clean) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void resume(SuspendedResourcesHolder holder) {
      throw new UnsupportedOperationException();
    }

    @Override
    public GlobalStatus getStatus() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void globalReport(GlobalStatus status) {
      throw new UnsupportedOperationException();
    }

    @Override
    public GlobalStatus getLocalStatus() {
      return localStatus; // the commit's answer; getStatus (a round trip to the TC) stays unused
    }

    @Override
    public GlobalTransactionRole getGlobalTransactionRole() {
      return GlobalTransactionRole.Launcher;
    }

    @Override
    public long getCreateTime() {
      throw new UnsupportedOperationException();
    }
  }
}
