package io.txcenter.bench.mall;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.bench.api.OrderBenchService;
import io.txcenter.kit.Database;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.mall.MallMain;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.points.api.PointsService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The bench plugin of the mall: exports {@link OrderBenchService} (plain arm over the direct
 * services, monolith arm, N-branch transactions), callable by the operator (the bench tool).
 * Settings: {@code txc.mall.monolith.jdbc.url} (required: the monolith arm's schema, migrated here
 * with the points, portal, mall and outbox DDL), {@code txc.mall.tx-timeout.ms} (30000). Only the
 * bench puts this jar on the mall's class path.
 */
public final class MallBenchPlugin implements ProcessPlugin {

  @Override
  @SuppressWarnings("unchecked")
  public void install(PluginContext context) {
    ParticipantRuntime runtime =
        context
            .runtime()
            .orElseThrow(() -> new IllegalStateException("not the mall process: no runtime"));
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
    DubboNode node = context.node();
    Map<String, DirectPointsService> direct = new ConcurrentHashMap<>();
    node.export(
        OrderBenchService.class,
        new BenchOrders(
            runtime.mapper(OrderMapper.class),
            runtime.mapper(OutboxMapper.class),
            runtime.dataSource(),
            runtime.transactionManager(),
            channel ->
                direct.computeIfAbsent(
                    channel, group -> node.reference(DirectPointsService.class, group)),
            node.reference(DirectQuotaService.class, null),
            (Function<String, PointsService>) context.component(MallMain.POINTS, Function.class),
            monolith,
            (int) Settings.longValue("txc.mall.tx-timeout.ms", 30_000)),
        null,
        Callers.of(OrderBenchService.class)
            .allow("placePlain", "operator")
            .allow("placeMonolith", "operator")
            .allow("placeWithBranches", "operator")
            .allow("seedMonolith", "operator"));
  }
}
