package io.txcenter.mall;

import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugins;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.mall.store.OrderRecord;
import io.txcenter.mall.tcc.OrderCreateAction;
import io.txcenter.mall.tcc.OrderCreateTcc;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.RecordCheck;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.PortalService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The mall process: initiator of order transactions and owner of the order branch. Settings: {@code
 * txc.jdbc.url} (mall schema), {@code txc.dubbo.port} (20893), {@code txc.mall.precheck} (true:
 * read quota and points before the global transaction), {@code txc.mall.tx-timeout.ms} (30000),
 * Plugins on the class path are installed before the node starts (see {@link ProcessPlugins}).
 */
public final class MallMain {

  /**
   * Plugin component: the {@code Function<String, PointsService>} giving the points service of a
   * channel (one Dubbo reference per channel, shared with the order path).
   */
  public static final String POINTS = "mall.points";

  private MallMain() {}

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start("mall", List.of("mall"), "mapper/OrderMapper.xml");
    OrderMapper orders = runtime.mapper(OrderMapper.class);
    Outbox outbox = Outbox.install(runtime, OrderEvents.OUTBOX, OrderEvents.TOPICS);
    OrderCreateAction orderCreate = ParticipantRuntime.tccProxy(new OrderCreateTcc(orders, outbox));
    DubboNode node = runtime.dubbo(20893);
    PortalService portal = node.reference(PortalService.class, null);
    Map<String, PointsService> channels = new ConcurrentHashMap<>();
    Function<String, PointsService> points =
        channel ->
            channels.computeIfAbsent(channel, group -> node.reference(PointsService.class, group));
    MallService mall =
        new MallServiceImpl(
            orders,
            orderCreate,
            portal,
            points,
            new OrderEvents(outbox),
            Boolean.parseBoolean(Settings.string("txc.mall.precheck", "true")),
            (int) Settings.longValue("txc.mall.tx-timeout.ms", 30_000));
    node.export(
            MallService.class,
            mall,
            null,
            Callers.of(MallService.class)
                .allow("placeOrder", "operator")
                .allow("order", "operator"),
            (unexpected, badInput, message) ->
                new MallException(
                    badInput ? MallErrorCode.INVALID_REQUEST : MallErrorCode.TRANSACTION_FAILED,
                    message))
        .export(
            OutboxCheck.class,
            RecordCheck.of(
                "order",
                orders::find,
                OrderRecord::xid,
                order ->
                    switch (OrderStatus.valueOf(order.status())) {
                      case CONFIRMED -> OutboxCheck.CheckOutcome.COMMITTED;
                      case CANCELLED -> OutboxCheck.CheckOutcome.ROLLED_BACK;
                      case TRYING -> OutboxCheck.CheckOutcome.UNKNOWN;
                    }),
            OrderEvents.OUTBOX,
            Callers.of(OutboxCheck.class).allow("check", "relay"));
    ProcessPlugins.install(PluginContext.of(runtime, node).with(POINTS, points));
    node.start();
    runtime.serve();
  }
}
