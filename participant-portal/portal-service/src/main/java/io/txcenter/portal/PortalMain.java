package io.txcenter.portal;

import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeAction;
import io.txcenter.portal.tcc.QuotaFreezeTcc;

/**
 * The portal service: the quota of every channel. Settings: {@code txc.jdbc.url} (the portal's
 * schema), {@code txc.dubbo.port} (20891), {@code txc.zk.address}.
 */
public final class PortalMain {

  private PortalMain() {}

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start("portal", "portal", "mapper/QuotaMapper.xml");
    QuotaMapper quotas = runtime.mapper(QuotaMapper.class);
    QuotaFreezeAction freeze = ParticipantRuntime.tccProxy(new QuotaFreezeTcc(quotas));
    PortalServiceImpl service = new PortalServiceImpl(freeze, quotas, runtime.transactionManager());
    runtime
        .dubbo(20891)
        .export(PortalService.class, service, null)
        .export(io.txcenter.portal.api.DirectQuotaService.class, service, null)
        .start();
    runtime.serve();
  }
}
