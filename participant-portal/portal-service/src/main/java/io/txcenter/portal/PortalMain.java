package io.txcenter.portal;

import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugins;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeAction;
import io.txcenter.portal.tcc.QuotaFreezeTcc;

/**
 * The portal service: the quota of every channel. Settings: {@code txc.jdbc.url} (the portal's
 * schema), {@code txc.dubbo.port} (20891), {@code txc.zk.address}. Plugins on the class path are
 * installed before the node starts (see {@link ProcessPlugins}); they get the runtime only.
 */
public final class PortalMain {

  private PortalMain() {}

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start("portal", "portal", "mapper/QuotaMapper.xml");
    QuotaMapper quotas = runtime.mapper(QuotaMapper.class);
    QuotaFreezeAction freeze = ParticipantRuntime.tccProxy(new QuotaFreezeTcc(quotas));
    PortalServiceImpl service = new PortalServiceImpl(freeze, quotas, runtime.transactionManager());
    DubboNode node =
        runtime
            .dubbo(20891)
            .export(
                PortalService.class,
                service,
                null,
                Callers.of(PortalService.class)
                    .allow("tryFreezeQuota", "mall")
                    .allow("quota", "mall", "operator")
                    // payment: it refuses payments in a channel the portal does not know
                    .allow("quotas", "mall", "operator", "payment")
                    .allow("grant", "operator"),
                (unexpected, badInput, message) ->
                    new PortalException(
                        badInput
                            ? PortalErrorCode.INVALID_REQUEST
                            : PortalErrorCode.STORAGE_FAILURE,
                        null,
                        message));
    ProcessPlugins.install(PluginContext.of(runtime, node));
    node.start();
    runtime.serve();
  }
}
