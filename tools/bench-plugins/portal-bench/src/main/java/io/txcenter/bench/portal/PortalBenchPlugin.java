package io.txcenter.bench.portal;

import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.portal.store.QuotaMapper;

/**
 * The bench plugin of the portal: exports {@link DirectQuotaService}, callable by the mall. Not
 * atomic: only the benchmark's plain arm uses it, and only the bench puts this jar on the portal's
 * class path.
 */
public final class PortalBenchPlugin implements ProcessPlugin {

  @Override
  public void install(PluginContext context) {
    ParticipantRuntime runtime =
        context
            .runtime()
            .orElseThrow(() -> new IllegalStateException("not the portal process: no runtime"));
    context
        .node()
        .export(
            DirectQuotaService.class,
            new DirectQuota(runtime.mapper(QuotaMapper.class), runtime.transactionManager()),
            null,
            Callers.of(DirectQuotaService.class).allow("use", "mall"));
  }
}
