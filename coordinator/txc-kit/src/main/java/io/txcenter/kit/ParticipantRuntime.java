package io.txcenter.kit;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugins;
import io.txcenter.metrics.MetricsEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.integration.tx.api.util.ProxyUtil;
import org.mybatis.spring.SqlSessionTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The composition root shared by every TCC participant process: advertised address, own schema
 * (migrated), Seata fence, MyBatis, Seata client, Dubbo node, readiness marker. Plain code rather
 * than a container, so that a killed participant restarts in seconds.
 */
public final class ParticipantRuntime {

  private static final Logger log = LoggerFactory.getLogger(ParticipantRuntime.class);

  private final String name;
  private final HikariDataSource dataSource;
  private final PlatformTransactionManager transactionManager;
  private final SqlSessionTemplate sql;

  private ParticipantRuntime(
      String name,
      HikariDataSource dataSource,
      PlatformTransactionManager transactionManager,
      SqlSessionTemplate sql) {
    this.name = name;
    this.dataSource = dataSource;
    this.transactionManager = transactionManager;
    this.sql = sql;
  }

  /**
   * Opens the process's schema (applying {@code ddlSets} plus the fence table), installs the fence
   * and starts the Seata client.
   */
  public static ParticipantRuntime start(String name, String ddlSet, String... mapperResources) {
    return start(name, List.of(ddlSet), mapperResources);
  }

  /** As {@link #start(String, String, String...)}, with several DDL sets. */
  public static ParticipantRuntime start(
      String name, List<String> ddlSets, String... mapperResources) {
    AdvertisedAddress.apply();
    MetricsEndpoint.startFromSettings(BindAddress.address());
    HikariDataSource dataSource = Database.fromSettings(name);
    List<String> sets = new ArrayList<>(List.of("common"));
    sets.addAll(ddlSets);
    SchemaMigrator.migrate(dataSource, sets.toArray(String[]::new));
    PlatformTransactionManager transactionManager = TccFence.install(dataSource);
    SqlSessionTemplate sql = MyBatisStore.open(dataSource, mapperResources);
    SeataClient.start(name);
    return new ParticipantRuntime(name, dataSource, transactionManager, sql);
  }

  public String name() {
    return name;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  public PlatformTransactionManager transactionManager() {
    return transactionManager;
  }

  public <M> M mapper(Class<M> mapperType) {
    return sql.getMapper(mapperType);
  }

  /**
   * Extends the process after {@link #start}: applies more DDL sets to its schema and registers
   * more mapper XMLs with its MyBatis session, so that {@link #mapper} serves them and their calls
   * join the fence's local transaction. For a library that brings its own tables and mapper (the
   * outbox's {@code Outbox.install}). Start-up only: before any Dubbo export, TCC proxy of an
   * action using these tables, or other thread uses the session.
   */
  public ParticipantRuntime extend(List<String> ddlSets, String... mapperResources) {
    SchemaMigrator.migrate(dataSource, ddlSets.toArray(String[]::new));
    MyBatisStore.addMappers(sql.getConfiguration(), mapperResources);
    return this;
  }

  /** Seata's TCC proxy of {@code action}: registers the resource and, on Try, the branch. */
  public static <T> T tccProxy(T action) {
    return ProxyUtil.createProxy(action);
  }

  /** The XID bound to the current call, or null outside a global transaction. */
  public static String currentXid() {
    return RootContext.getXID();
  }

  /** A Dubbo provider node on {@code txc.dubbo.port}, else {@code defaultPort}. */
  public DubboNode dubbo(int defaultPort) {
    return DubboNode.provider(name, Settings.port("txc.dubbo.port", defaultPort));
  }

  /**
   * The last line of a participant's main: {@link #serve(PluginContext)} with a context that holds
   * this runtime and {@code node} and no named components.
   */
  public void serve(DubboNode node) throws InterruptedException {
    serve(PluginContext.of(this, node));
  }

  /**
   * Installs the process plugins on the class path with {@code context} ({@link ProcessPlugins}:
   * none in a production launch), starts the context's Dubbo node (exports and registers every
   * service), then {@link #serve()}. Readiness is marked only after the node is registered, and a
   * plugin that fails stops the process before it serves anything ({@link IllegalStateException}).
   */
  public void serve(PluginContext context) throws InterruptedException {
    ProcessPlugins.install(context);
    context.node().start();
    serve();
  }

  /** Writes the readiness marker and parks the main thread until the process is stopped. */
  public void serve() throws InterruptedException {
    Readiness.markReady(name);
    log.info("service ready name={} pid={}", name, ProcessHandle.current().pid());
    new CountDownLatch(1).await();
  }
}
