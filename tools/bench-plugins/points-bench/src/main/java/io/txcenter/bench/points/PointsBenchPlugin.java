package io.txcenter.bench.points;

import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.points.PointsMain;
import io.txcenter.points.PointsServiceImpl;
import io.txcenter.points.store.PointsMapper;

/**
 * The bench plugin of a points process: exports {@link DirectPointsService} under the channel's
 * group, callable by the mall. Not atomic: only the benchmark's plain arm uses it, and only the
 * bench puts this jar on a process's class path.
 */
public final class PointsBenchPlugin implements ProcessPlugin {

  @Override
  public void install(PluginContext context) {
    String channel = Settings.required("txc.points.channel");
    ParticipantRuntime runtime =
        context
            .runtime()
            .orElseThrow(() -> new IllegalStateException("not a points process: no runtime"));
    DirectPoints direct =
        new DirectPoints(
            channel,
            context.component(PointsMain.SERVICE, PointsServiceImpl.class),
            runtime.mapper(PointsMapper.class),
            runtime.transactionManager());
    context
        .node()
        .export(
            DirectPointsService.class,
            direct,
            channel,
            Callers.of(DirectPointsService.class).allow("spend", "mall"));
  }
}
