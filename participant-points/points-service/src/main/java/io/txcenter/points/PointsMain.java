package io.txcenter.points;

import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugins;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.kit.validation.Ids;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditAction;
import io.txcenter.points.tcc.PointsCreditTcc;
import io.txcenter.points.tcc.PointsFreezeAction;
import io.txcenter.points.tcc.PointsFreezeTcc;

/**
 * One channel's points service. Settings: {@code txc.points.channel} (required), {@code
 * txc.jdbc.url} (the channel's schema), {@code txc.dubbo.port} (20881), {@code txc.zk.address}.
 * Plugins on the class path are installed before the node starts (see {@link ProcessPlugins}).
 */
public final class PointsMain {

  /** Plugin component: the {@link PointsServiceImpl} of this channel. */
  public static final String SERVICE = "points.service";

  private PointsMain() {}

  public static void main(String[] args) throws Exception {
    String channel = Settings.required("txc.points.channel");
    if (!Ids.isChannel(channel)) {
      throw new Settings.SettingException(
          "txc.points.channel", "must match " + Ids.CHANNEL, channel);
    }
    ParticipantRuntime runtime =
        ParticipantRuntime.start("points-" + channel, "points", "mapper/PointsMapper.xml");
    PointsMapper points = runtime.mapper(PointsMapper.class);
    PointsFreezeAction freeze = ParticipantRuntime.tccProxy(new PointsFreezeTcc(points));
    PointsCreditAction credit = ParticipantRuntime.tccProxy(new PointsCreditTcc(points));
    PointsServiceImpl service =
        new PointsServiceImpl(channel, freeze, credit, points, runtime.transactionManager());
    DubboNode node =
        runtime
            .dubbo(20881)
            .export(
                PointsService.class,
                service,
                channel,
                Callers.of(PointsService.class)
                    .allow("tryFreeze", "mall")
                    .allow("tryCredit", "payment")
                    .allow("balance", "mall", "operator")
                    .allow("grant", "operator"),
                (unexpected, badInput, message) ->
                    new PointsException(
                        badInput
                            ? PointsErrorCode.INVALID_REQUEST
                            : PointsErrorCode.STORAGE_FAILURE,
                        channel,
                        message));
    ProcessPlugins.install(PluginContext.of(runtime, node).with(SERVICE, service));
    node.start();
    runtime.serve();
  }
}
