package io.txcenter.bench.points;

import io.txcenter.bench.api.AtOrderService;
import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.points.PointsMain;
import io.txcenter.points.PointsServiceImpl;
import io.txcenter.points.store.PointsMapper;
import org.apache.seata.rm.datasource.DataSourceProxy;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The benchmark's AT arm in a points process: {@link DirectPoints} a second time, on the schema's
 * pool behind Seata AT ({@code DataSourceProxy}; the {@code undo_log} DDL applied first), exported
 * under group {@link AtOrderService#group} of the channel, callable by the mall. Called in a global
 * transaction, its spend is an AT branch; only the bench puts this jar on a process's class path.
 */
public final class PointsAtPlugin implements ProcessPlugin {

  @Override
  public void install(PluginContext context) {
    String channel = Settings.required("txc.points.channel");
    ParticipantRuntime runtime =
        context
            .runtime()
            .orElseThrow(() -> new IllegalStateException("not a points process: no runtime"));
    SchemaMigrator.migrate(runtime.dataSource(), AtOrderService.UNDO_LOG_DDL);
    System.setProperty("client.undo.logSerialization", AtOrderService.UNDO_LOG_SERIALIZATION);
    DataSourceProxy at = new DataSourceProxy(runtime.dataSource());
    DirectPoints direct =
        new DirectPoints(
            channel,
            context.component(PointsMain.SERVICE, PointsServiceImpl.class),
            MyBatisStore.open(at, "mapper/PointsMapper.xml").getMapper(PointsMapper.class),
            new DataSourceTransactionManager(at));
    context
        .node()
        .export(
            DirectPointsService.class,
            direct,
            AtOrderService.group(channel),
            Callers.of(DirectPointsService.class).allow("spend", "mall"));
  }
}
