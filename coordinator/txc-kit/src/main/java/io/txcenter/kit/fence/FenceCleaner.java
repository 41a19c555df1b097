package io.txcenter.kit.fence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.seata.integration.tx.api.fence.constant.CommonFenceConstant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes a participant's settled fence rows older than the {@link FenceRetention}, a batch of
 * {@value #BATCH} rows a statement, each statement its own short transaction, paced: after a full
 * batch it waits as long as the batch took.
 *
 * <p>Why not Seata's clean task ({@code CommonFenceConfig.initCleanTask}): it deletes, by XID,
 * every row of each XID that has one old settled row ({@code DELETE … WHERE xid IN (…)}). A {@code
 * tried} row of another branch of that XID, one whose phase two is still being retried, goes with
 * it, and that branch's Confirm then fails forever for want of its row ({@code FenceRetentionIT}
 * shows both). This deletes settled rows only, by row. Seata's task also ties the pass interval to
 * the age; here they are two settings, checked against a computed floor. {@link
 * io.txcenter.kit.TccFence#install} turns Seata's task off and starts this one.
 *
 * <p>Measured on Micrometer's global registry: {@code txc_fence_cleaned_rows_total} and {@code
 * txc_fence_clean_seconds{outcome}}, and {@code txc_fence_clean_failing} (1 while the last pass
 * failed; alert {@code TxcFenceCleanFailing}); docs/operations.md.
 */
public final class FenceCleaner implements AutoCloseable {

  /** Rows a delete statement removes at most: short row locks beside the live branches. */
  public static final int BATCH = 1_000;

  private static final Logger log = LoggerFactory.getLogger(FenceCleaner.class);

  private static final String DELETE_SETTLED =
      "DELETE FROM tcc_fence_log WHERE status IN ("
          + CommonFenceConstant.STATUS_COMMITTED
          + ", "
          + CommonFenceConstant.STATUS_ROLLBACKED
          + ", "
          + CommonFenceConstant.STATUS_SUSPENDED
          + ") AND gmt_modified < ? LIMIT "
          + BATCH;

  private final JdbcTemplate jdbc;
  private final FenceRetention retention;
  private final Clock clock;
  private final AtomicInteger lastPassFailed = new AtomicInteger();
  private ScheduledExecutorService schedule;

  public FenceCleaner(DataSource dataSource, FenceRetention retention, Clock clock) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.retention = retention;
    this.clock = clock;
  }

  /** What one pass deleted, in how many delete statements, and how long it took. */
  public record Pass(long rows, int statements, long millis) {}

  /**
   * Starts the passes, one every {@link FenceRetention#interval()}, the first after one interval.
   */
  public FenceCleaner start() {
    schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "txc-fence-clean");
              thread.setDaemon(true);
              return thread;
            });
    Gauge.builder("txc.fence.clean.failing", lastPassFailed, AtomicInteger::get)
        .description("1 while the last pass of the fence clean task failed, else 0")
        .strongReference(true)
        .register(Metrics.globalRegistry);
    long every = retention.interval().toMillis();
    schedule.scheduleWithFixedDelay(this::passLogged, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "fence clean task started retention={} interval={} floor={}",
        retention.retention(),
        retention.interval(),
        retention.floor());
    return this;
  }

  /**
   * Deletes every settled row whose last change is older than the retention, as of now; rows still
   * {@code tried} are never deleted, however old.
   */
  public Pass cleanOnce() {
    Timestamp before = Timestamp.from(Instant.now(clock).minus(retention.retention()));
    long start = System.nanoTime();
    long rows = 0;
    int statements = 0;
    String outcome = "failed";
    try {
      int deleted;
      do {
        long statementStart = System.nanoTime();
        deleted = jdbc.update(DELETE_SETTLED, before);
        statements++;
        rows += deleted;
        if (deleted == BATCH) {
          // paced: after a full batch, wait as long as it took (at most a second), so a pass with
          // a backlog takes at most half of a connection and of the table's write locks beside the
          // live branches (lever 15 in docs/bench/README.md)
          pause(Math.min(1_000, (System.nanoTime() - statementStart) / 1_000_000));
        }
      } while (deleted == BATCH);
      outcome = "ok";
      return new Pass(rows, statements, (System.nanoTime() - start) / 1_000_000);
    } finally {
      Counter.builder("txc.fence.cleaned.rows")
          .description("settled fence rows deleted by the clean task")
          .register(Metrics.globalRegistry)
          .increment(rows);
      Timer.builder("txc.fence.clean")
          .description("one pass of the fence clean task")
          .tag("outcome", outcome)
          .register(Metrics.globalRegistry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("fence clean pass interrupted", e);
    }
  }

  private void passLogged() {
    try {
      Pass pass = cleanOnce();
      lastPassFailed.set(0);
      if (pass.rows() > 0) {
        log.info(
            "fence clean pass deleted={} statements={} took={}ms retention={}",
            pass.rows(),
            pass.statements(),
            pass.millis(),
            retention.retention());
      }
    } catch (RuntimeException e) {
      // the next pass tries again; the failure is counted (outcome=failed) and alerted on
      lastPassFailed.set(1);
      log.warn("fence clean pass failed retention={}: {}", retention.retention(), e.toString());
    }
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.shutdownNow();
    }
  }
}
