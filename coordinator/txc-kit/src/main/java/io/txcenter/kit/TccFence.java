package io.txcenter.kit;

import io.txcenter.kit.fence.FenceCleaner;
import io.txcenter.kit.fence.FenceParking;
import io.txcenter.kit.fence.FenceRetention;
import io.txcenter.kit.fence.GuardedFenceHandler;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.seata.rm.fence.SpringFenceConfig;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Installs Seata's TCC fence ({@code tcc_fence_log}) on a participant's own schema.
 *
 * <p>Every {@code useTCCFence = true} action of the process then runs Try, Confirm and Cancel in a
 * local transaction that also writes the fence row; business writes made through {@link
 * MyBatisStore} join that transaction. Confirm and Cancel go through {@link GuardedFenceHandler},
 * which settles a {@code tried} row with one guarded update and leaves every other case to Seata.
 */
public final class TccFence {

  private TccFence() {}

  /**
   * Installs the fence and starts its clean task ({@link FenceCleaner}): settled rows older than
   * the {@link FenceRetention} ({@code txc.fence.retention}, P1D by default, never below the floor
   * computed from the longest global timeout and the Dubbo timeout) are deleted every {@code
   * txc.fence.clean-interval}. A retention below the floor stops the process here.
   */
  public static PlatformTransactionManager install(DataSource dataSource) {
    FenceRetention retention = FenceRetention.fromSettings();
    DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
    SpringFenceConfig config = new SpringFenceConfig(dataSource, transactionManager);
    // Seata's own clean task is off (a zero period): FenceCleaner replaces it (its comment says
    // why)
    config.setCleanPeriod(Duration.ZERO);
    try {
      config.afterPropertiesSet();
    } catch (Exception e) {
      throw new IllegalStateException("cannot install the TCC fence: " + e.getMessage(), e);
    }
    // Seata's Spring integration calls init() when it finds the config bean; without a container
    // it is ours to call (it sets the table name; its clean task stays off at a zero period)
    config.init();
    // after Seata's handler is set up (loading it installs it): ours replaces it and delegates to
    // it
    GuardedFenceHandler.install(dataSource, transactionManager);
    // this participant is starting: its provider registers in ZooKeeper again, so the branches it
    // parked itself go back to phase two (FenceParking)
    FenceParking.releaseAutoParked(dataSource);
    new FenceCleaner(dataSource, retention, Clock.systemUTC()).start();
    return transactionManager;
  }
}
