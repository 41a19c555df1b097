package io.txcenter.kit;

import javax.sql.DataSource;
import org.apache.seata.rm.fence.SpringFenceConfig;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Installs Seata's TCC fence ({@code tcc_fence_log}) on a participant's own schema.
 *
 * <p>Every {@code useTCCFence = true} action of the process then runs Try, Confirm and Cancel in a
 * local transaction that also writes the fence row; business writes made through {@link
 * MyBatisStore} join that transaction.
 */
public final class TccFence {

  private TccFence() {}

  public static PlatformTransactionManager install(DataSource dataSource) {
    DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
    SpringFenceConfig config = new SpringFenceConfig(dataSource, transactionManager);
    try {
      config.afterPropertiesSet();
    } catch (Exception e) {
      throw new IllegalStateException("cannot install the TCC fence: " + e.getMessage(), e);
    }
    return transactionManager;
  }
}
