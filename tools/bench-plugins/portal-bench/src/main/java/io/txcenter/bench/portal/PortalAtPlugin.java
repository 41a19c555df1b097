package io.txcenter.bench.portal;

import io.txcenter.bench.api.AtOrderService;
import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.portal.store.QuotaMapper;
import org.apache.seata.rm.datasource.DataSourceProxy;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The benchmark's AT arm in the portal: {@link DirectQuota} a second time, on the schema's pool
 * behind Seata AT ({@code DataSourceProxy}; the {@code undo_log} DDL applied first), exported under
 * group {@link AtOrderService#group} {@code (null)}, callable by the mall. Called in a global
 * transaction, its quota use is an AT branch; only the bench puts this jar on the portal's class
 * path.
 */
public final class PortalAtPlugin implements ProcessPlugin {

  @Override
  public void install(PluginContext context) {
    ParticipantRuntime runtime =
        context
            .runtime()
            .orElseThrow(() -> new IllegalStateException("not the portal process: no runtime"));
    SchemaMigrator.migrate(runtime.dataSource(), AtOrderService.UNDO_LOG_DDL);
    System.setProperty("client.undo.logSerialization", AtOrderService.UNDO_LOG_SERIALIZATION);
    DataSourceProxy at = new DataSourceProxy(runtime.dataSource());
    context
        .node()
        .export(
            DirectQuotaService.class,
            new DirectQuota(
                MyBatisStore.open(at, "mapper/QuotaMapper.xml").getMapper(QuotaMapper.class),
                new DataSourceTransactionManager(at)),
            AtOrderService.group(null),
            Callers.of(DirectQuotaService.class).allow("use", "mall"));
  }
}
