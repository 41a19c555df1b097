package io.txcenter.bench.mall;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.bench.api.AtOrderService;
import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.bench.api.OrderBenchService;
import io.txcenter.kit.Database;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.mall.MallMain;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.points.api.PointsService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.seata.rm.datasource.DataSourceProxy;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The bench plugin of the mall: exports {@link OrderBenchService} (plain arm over the direct
 * services, monolith arm, N-branch transactions) and {@link AtOrderService} (the plain arm in a
 * Seata AT global transaction; applies the {@code undo_log} DDL to the mall's schema), callable by
 * the operator (the bench tool). Settings: {@code txc.mall.monolith.jdbc.url} (required: the
 * monolith arm's schema, migrated here with the points, portal, mall and outbox DDL), {@code
 * txc.mall.tx-timeout.ms} (30000). Only the bench puts this jar on the mall's class path.
 */
public final class MallBenchPlugin implements ProcessPlugin {

  /** The mall's order mapper, as its main registers it. */
  private static final String ORDER_MAPPER = "mapper/OrderMapper.xml";

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
    Function<String, PointsService> points =
        (Function<String, PointsService>) context.component(MallMain.POINTS, Function.class);
    int timeoutMillis = (int) Settings.longValue("txc.mall.tx-timeout.ms", 30_000);
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
            points,
            monolith,
            timeoutMillis),
        null,
        Callers.of(OrderBenchService.class)
            .allow("placePlain", "operator")
            .allow("placeMonolith", "operator")
            .allow("placeWithBranches", "operator")
            .allow("seedMonolith", "operator"));
    // the AT arm: the same class on the mall's pool behind Seata AT, calling the direct services'
    // AT exports, inside a global transaction (AtOrders)
    SchemaMigrator.migrate(runtime.dataSource(), AtOrderService.UNDO_LOG_DDL);
    System.setProperty("client.undo.logSerialization", AtOrderService.UNDO_LOG_SERIALIZATION);
    DataSourceProxy at = new DataSourceProxy(runtime.dataSource());
    SqlSessionTemplate atSql = MyBatisStore.open(at, ORDER_MAPPER, Outbox.BRANCH_STORE);
    Map<String, DirectPointsService> atDirect = new ConcurrentHashMap<>();
    BenchOrders atPlain =
        new BenchOrders(
            atSql.getMapper(OrderMapper.class),
            atSql.getMapper(OutboxMapper.class),
            at,
            new DataSourceTransactionManager(at),
            channel ->
                atDirect.computeIfAbsent(
                    channel,
                    c -> node.reference(DirectPointsService.class, AtOrderService.group(c))),
            node.reference(DirectQuotaService.class, AtOrderService.group(null)),
            points,
            monolith,
            timeoutMillis,
            BenchOrders.AT);
    node.export(
        AtOrderService.class,
        new AtOrders(atPlain, timeoutMillis),
        null,
        Callers.of(AtOrderService.class).allow("placeAt", "operator"));
  }
}
