package io.txcenter.mall;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.Database;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.Settings;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderBenchService;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.mall.tcc.OrderCreateAction;
import io.txcenter.mall.tcc.OrderCreateTcc;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.points.api.DirectPointsService;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.DirectQuotaService;
import io.txcenter.portal.api.PortalService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mall process: initiator of order transactions and owner of the order branch. Settings: {@code
 * txc.jdbc.url} (mall schema), {@code txc.dubbo.port} (20893), {@code txc.mall.precheck} (true:
 * read quota and points before the global transaction), {@code txc.mall.tx-timeout.ms} (30000),
 * {@code txc.bench.enabled} (false: no {@link OrderBenchService}), {@code
 * txc.mall.monolith.jdbc.url} (the benchmark's monolith schema, required with the bench).
 */
public final class MallMain {

  private MallMain() {}

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start("mall", List.of("mall"), "mapper/OrderMapper.xml");
    OrderMapper orders = runtime.mapper(OrderMapper.class);
    OrderCreateAction orderCreate = ParticipantRuntime.tccProxy(new OrderCreateTcc(orders));
    Outbox outbox = Outbox.install(runtime, OrderEvents.OUTBOX, OrderEvents.TOPICS);
    DubboNode node = runtime.dubbo(20893);
    PortalService portal = node.reference(PortalService.class, null);
    Map<String, PointsService> channels = new ConcurrentHashMap<>();
    MallService mall =
        new MallServiceImpl(
            orders,
            orderCreate,
            portal,
            channel ->
                channels.computeIfAbsent(
                    channel, group -> node.reference(PointsService.class, group)),
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
            new OrderOutboxCheck(orders),
            OrderEvents.OUTBOX,
            Callers.of(OutboxCheck.class).allow("check", "relay"));
    if (Settings.bool("txc.bench.enabled", false)) {
      String monolithUrl = Settings.required("txc.mall.monolith.jdbc.url");
      // the benchmark's baselines: one schema holding points, quota, orders and outbox together
      HikariDataSource monolith =
          Database.open(
              "mall-monolith",
              monolithUrl,
              Settings.string("txc.jdbc.user", "root"),
              Settings.string("txc.jdbc.password", ""),
              (int) Settings.longValue("txc.jdbc.pool", 16));
      SchemaMigrator.migrate(monolith, "points", "portal", "mall", "outbox");
      Map<String, DirectPointsService> direct = new ConcurrentHashMap<>();
      node.export(
          OrderBenchService.class,
          new BenchOrders(
              orders,
              runtime.mapper(OutboxMapper.class),
              runtime.dataSource(),
              runtime.transactionManager(),
              channel ->
                  direct.computeIfAbsent(
                      channel, group -> node.reference(DirectPointsService.class, group)),
              node.reference(DirectQuotaService.class, null),
              channel ->
                  channels.computeIfAbsent(
                      channel, group -> node.reference(PointsService.class, group)),
              monolith,
              (int) Settings.longValue("txc.mall.tx-timeout.ms", 30_000)),
          null,
          Callers.of(OrderBenchService.class)
              .allow("placePlain", "operator")
              .allow("placeMonolith", "operator")
              .allow("placeWithBranches", "operator")
              .allow("seedMonolith", "operator"));
    }
    node.start();
    runtime.serve();
  }
}
