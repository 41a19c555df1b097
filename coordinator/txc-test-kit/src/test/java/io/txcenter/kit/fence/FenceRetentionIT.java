package io.txcenter.kit.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txcenter.kit.Database;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.TccFence;
import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TestDatabase;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.apache.seata.rm.fence.SpringFenceHandler;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fence's clean task on a real database: it deletes settled rows older than the retention, a
 * batch at a time, and nothing else; so a Try that comes late, within the retention, still meets
 * its branch's row and is refused, and an in-doubt branch keeps its {@code tried} row however old.
 */
class FenceRetentionIT {

  private static final Duration RETENTION = Duration.ofMinutes(5);

  private static String schema;
  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;

  private final FenceHarness fence = new FenceHarness(new ReservingAction(), "reserving");
  private final Instant now = Instant.now();
  private final FenceCleaner cleaner =
      new FenceCleaner(
          dataSource,
          new FenceRetention(RETENTION, Duration.ofMinutes(1), Duration.ofMinutes(2)),
          Clock.fixed(now, java.time.ZoneOffset.UTC));

  @BeforeAll
  static void openSchema() {
    TestDatabase db = TestDatabase.get();
    schema = db.createSchema("fclean");
    dataSource = Database.open("fclean", db.url(schema), db.user(), db.password(), 2);
    SchemaMigrator.migrate(dataSource, "common");
    jdbc = new JdbcTemplate(dataSource);
    jdbc.execute(
        "CREATE TABLE reservation (xid VARCHAR(128) NOT NULL, branch_id BIGINT NOT NULL,"
            + " PRIMARY KEY (xid, branch_id))");
    TccFence.install(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @BeforeEach
  void emptyTables() {
    jdbc.update("DELETE FROM tcc_fence_log");
    jdbc.update("DELETE FROM reservation");
  }

  @Test
  void clean_deletesSettledRowsOlderThanTheRetention_soALateTryWithinTheWindowIsStillRefused() {
    BusinessActionContext old = FenceHarness.newBranch();
    fence.tryPhase(old, () -> reserve(old));
    fence.cancel(old);
    lastChanged(old, RETENTION.plusMinutes(1));
    BusinessActionContext cancelled = FenceHarness.newBranch();
    fence.tryPhase(cancelled, () -> reserve(cancelled));
    fence.cancel(cancelled);
    lastChanged(cancelled, RETENTION.minusMinutes(1));
    BusinessActionContext emptyRollback = FenceHarness.newBranch();
    fence.cancel(emptyRollback);
    lastChanged(emptyRollback, RETENTION.minusMinutes(1));
    jdbc.update("DELETE FROM reservation");

    FenceCleaner.Pass pass = cleaner.cleanOnce();

    assertThat(pass.rows()).isEqualTo(1);
    assertThat(status(old)).isNull();
    assertThat(status(cancelled)).isEqualTo(3);
    assertThat(status(emptyRollback)).isEqualTo(4);
    // both late Tries arrive within the retention: each meets its row and reserves nothing
    assertThatThrownBy(() -> fence.tryPhase(cancelled, () -> reserve(cancelled)));
    assertThatThrownBy(() -> fence.tryPhase(emptyRollback, () -> reserve(emptyRollback)));
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation", Long.class)).isZero();
  }

  @Test
  void clean_neverDeletesATriedRow_evenBesideAnOldSettledRowOfTheSameTransaction() {
    BusinessActionContext confirmed = FenceHarness.newBranch();
    BusinessActionContext inDoubt = sameTransaction(confirmed);
    fence.tryPhase(confirmed, () -> reserve(confirmed));
    fence.tryPhase(inDoubt, () -> reserve(inDoubt));
    fence.confirm(confirmed);
    lastChanged(confirmed, RETENTION.multipliedBy(2));
    lastChanged(inDoubt, RETENTION.multipliedBy(2));

    cleaner.cleanOnce();

    assertThat(status(confirmed)).isNull();
    assertThat(status(inDoubt)).isEqualTo(1);
    // the TC's retried phase two still finds the row and settles the reservation once
    assertThat(fence.cancel(inDoubt)).isTrue();
    assertThat(status(inDoubt)).isEqualTo(3);
  }

  @Test
  void seatasCleanTask_wouldDeleteTheTriedRowOfAnInDoubtBranch_whichIsWhyItIsOff() {
    BusinessActionContext confirmed = FenceHarness.newBranch();
    BusinessActionContext inDoubt = sameTransaction(confirmed);
    fence.tryPhase(confirmed, () -> reserve(confirmed));
    fence.tryPhase(inDoubt, () -> reserve(inDoubt));
    fence.confirm(confirmed);
    lastChanged(confirmed, RETENTION.multipliedBy(2));

    // what CommonFenceConfig's task calls, with the same cut-off
    new SpringFenceHandler().deleteFenceByDate(Date.from(now.minus(RETENTION)));

    // Seata deletes by XID: the in-doubt branch's row went with its sibling's, and its Confirm
    // would now fail for ever. If this ever fails, Seata changed and its task may be reconsidered.
    assertThat(status(inDoubt)).isNull();
  }

  @Test
  void clean_deletesInBatchesOfAThousand_andCountsWhatItDeleted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      Timestamp old = Timestamp.from(now.minus(RETENTION).minusSeconds(60));
      jdbc.batchUpdate(
          "INSERT INTO tcc_fence_log (xid, branch_id, action_name, status, gmt_create,"
              + " gmt_modified) VALUES (?, ?, 'reserving', ?, ?, ?)",
          java.util.stream.IntStream.range(0, 2_500)
              .mapToObj(i -> new Object[] {"old:" + i, i, 2 + i % 3, old, old})
              .toList());

      FenceCleaner.Pass pass = cleaner.cleanOnce();

      assertThat(pass.rows()).isEqualTo(2_500);
      assertThat(pass.statements()).isEqualTo(3);
      assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tcc_fence_log", Long.class)).isZero();
      assertThat(registry.get("txc.fence.cleaned.rows").counter().count()).isEqualTo(2_500);
      assertThat(registry.get("txc.fence.clean").tag("outcome", "ok").timer().count()).isEqualTo(1);
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  @Test
  void aFailingPass_isCountedAsFailed_andDeletesNothing() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    HikariDataSource closed =
        Database.open("closed", TestDatabase.get().url(schema), "root", "", 1);
    closed.close();
    try {
      FenceCleaner broken =
          new FenceCleaner(
              closed,
              new FenceRetention(RETENTION, Duration.ofMinutes(1), Duration.ofMinutes(2)),
              Clock.systemUTC());
      assertThatThrownBy(broken::cleanOnce).isInstanceOf(RuntimeException.class);
      assertThat(registry.get("txc.fence.clean").tag("outcome", "failed").timer().count())
          .isEqualTo(1);
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  private static BusinessActionContext sameTransaction(BusinessActionContext sibling) {
    BusinessActionContext branch = FenceHarness.newBranch();
    branch.setXid(sibling.getXid());
    return branch;
  }

  private void lastChanged(BusinessActionContext branch, Duration ago) {
    jdbc.update(
        "UPDATE tcc_fence_log SET gmt_modified = ? WHERE xid = ? AND branch_id = ?",
        Timestamp.from(now.minus(ago)),
        branch.getXid(),
        branch.getBranchId());
  }

  private static Integer status(BusinessActionContext branch) {
    return jdbc
        .query(
            "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
            (rs, n) -> rs.getInt(1),
            branch.getXid(),
            branch.getBranchId())
        .stream()
        .findFirst()
        .orElse(null);
  }

  private static void reserve(BusinessActionContext branch) {
    jdbc.update(
        "INSERT INTO reservation (xid, branch_id) VALUES (?, ?)",
        branch.getXid(),
        branch.getBranchId());
  }

  /** A phase-two bean that releases the Try's reservation on Cancel. */
  public static class ReservingAction implements TccBranch {
    @Override
    public boolean confirm(BusinessActionContext context) {
      return true;
    }

    @Override
    public boolean cancel(BusinessActionContext context) {
      jdbc.update(
          "DELETE FROM reservation WHERE xid = ? AND branch_id = ?",
          context.getXid(),
          context.getBranchId());
      return true;
    }
  }
}
