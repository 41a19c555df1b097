package io.txcenter.kit;

import io.txcenter.kit.fence.GuardedFenceHandler;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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
   * Installs the fence and starts Seata's clean task, which deletes settled fence rows (committed,
   * rollbacked, suspended) older than {@code txc.fence.clean-period} (ISO-8601, default {@code
   * P1D}). The period must stay far above the longest Try delay (the global transaction timeout, 30
   * s by default): a cleaned row can no longer refuse a late Try.
   */
  public static PlatformTransactionManager install(DataSource dataSource) {
    DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
    SpringFenceConfig config = new SpringFenceConfig(dataSource, transactionManager);
    Duration cleanPeriod;
    try {
      cleanPeriod = Duration.parse(Settings.string("txc.fence.clean-period", "P1D"));
    } catch (DateTimeParseException e) {
      throw new Settings.SettingException(
          "txc.fence.clean-period",
          "must be an ISO-8601 duration such as P1D",
          Settings.string("txc.fence.clean-period", ""));
    }
    if (cleanPeriod.compareTo(Duration.ofMinutes(10)) < 0) {
      throw new Settings.SettingException(
          "txc.fence.clean-period", "must be at least PT10M", cleanPeriod.toString());
    }
    config.setCleanPeriod(cleanPeriod);
    try {
      config.afterPropertiesSet();
    } catch (Exception e) {
      throw new IllegalStateException("cannot install the TCC fence: " + e.getMessage(), e);
    }
    // Seata's Spring integration calls init() when it finds the config bean; without a container
    // it is ours to call, or the clean task never starts
    config.init();
    // after Seata's handler is set up (loading it installs it): ours replaces it and delegates to
    // it
    GuardedFenceHandler.install(dataSource, transactionManager);
    return transactionManager;
  }
}
