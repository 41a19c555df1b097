package io.txcenter.relay;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.AdvertisedAddress;
import io.txcenter.kit.BindAddress;
import io.txcenter.kit.Database;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.Readiness;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.SeataClient;
import io.txcenter.kit.Settings;
import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.validation.Ids;
import io.txcenter.metrics.MetricsEndpoint;
import io.txcenter.outbox.OutboxDeliveryMapper;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.OutboxCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.tm.TransactionManagerHolder;
import org.mybatis.spring.SqlSessionTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A relay process serving one or more outboxes. Several may run; per outbox a Curator {@link
 * LeaderLatch} under {@code /txc/relay/<outbox>/leader} makes exactly one of them active for it.
 * Settings: {@code txc.name}, {@code txc.relay.outboxes} (mall), {@code
 * txc.relay.<outbox>.jdbc.url} (the outbox owner's schema; else its entry in {@code
 * txc.relay.jdbc.urls}, {@code <outbox>=<url>|…}; else {@code txc.jdbc.url}), {@code
 * txc.relay.retry-ladder} (RocketMQ's 10s..2h), {@code txc.relay.immunity.ms} (6000), {@code
 * txc.relay.poll.ms} (100: the idle poll), {@code txc.relay.busy-poll.ms} (10: the first wait after
 * a pass that found work, doubled per empty pass up to the idle poll), {@code
 * txc.relay.group-budget.ms} (1000: how long one consumer group may start deliveries per task),
 * {@code txc.relay.group-lanes} (4: deliveries a group's task makes at once, to distinct business
 * keys), {@code txc.relay.zk-session.ms} (3000), {@code txc.relay.alert-webhook}.
 */
public final class RelayMain {

  private static final Logger log = LoggerFactory.getLogger(RelayMain.class);

  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    String name = Settings.string("txc.name", "relay");
    List<String> outboxes = List.of(Settings.string("txc.relay.outboxes", "mall").split(","));
    for (String outbox : outboxes) {
      if (!Ids.isChannel(outbox)) {
        throw new Settings.SettingException(
            "txc.relay.outboxes",
            "must be names matching " + Ids.CHANNEL + " joined by ','",
            outbox);
      }
    }
    RetryLadder ladder;
    try {
      ladder = RetryLadder.parse(Settings.string("txc.relay.retry-ladder", RetryLadder.ROCKETMQ));
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingException(
          "txc.relay.retry-ladder", e.getMessage(), Settings.string("txc.relay.retry-ladder", ""));
    }
    Duration immunity = Duration.ofMillis(Settings.longValue("txc.relay.immunity.ms", 6_000));
    long pollMillis = Settings.longValue("txc.relay.poll.ms", 100);
    if (pollMillis < 1) {
      throw new Settings.SettingException(
          "txc.relay.poll.ms", "must be >= 1", Long.toString(pollMillis));
    }
    long busyPollMillis = Settings.longValue("txc.relay.busy-poll.ms", Math.min(10, pollMillis));
    if (busyPollMillis < 1 || busyPollMillis > pollMillis) {
      throw new Settings.SettingException(
          "txc.relay.busy-poll.ms",
          "must be in [1, txc.relay.poll.ms = " + pollMillis + "]",
          Long.toString(busyPollMillis));
    }
    long lanesSetting = Settings.longValue("txc.relay.group-lanes", OutboxRelay.DEFAULT_LANES);
    if (lanesSetting < 1 || lanesSetting > 32) {
      throw new Settings.SettingException(
          "txc.relay.group-lanes", "must be in [1, 32]", Long.toString(lanesSetting));
    }
    int lanes = (int) lanesSetting;
    long groupBudgetMillis = Settings.longValue("txc.relay.group-budget.ms", 1_000);
    if (groupBudgetMillis < 1) {
      throw new Settings.SettingException(
          "txc.relay.group-budget.ms", "must be >= 1", Long.toString(groupBudgetMillis));
    }

    AdvertisedAddress.apply();
    MetricsEndpoint.startFromSettings(BindAddress.address());
    SeataClient.start(name);
    CuratorFramework zk =
        ZooKeeperClient.connect((int) Settings.longValue("txc.relay.zk-session.ms", 3_000));
    DubboNode dubbo = DubboNode.consumer(name).start();
    Map<String, EventConsumer> consumers = new ConcurrentHashMap<>();
    Map<String, String> urls = outboxUrls(Settings.string("txc.relay.jdbc.urls", ""));
    Alerts alerts = new Alerts(Settings.string("txc.relay.alert-webhook", ""));
    List<Thread> loops = new ArrayList<>();
    for (String outboxName : outboxes) {
      // the outbox owner's schema: txc.relay.<outbox>.jdbc.url, else its entry in
      // txc.relay.jdbc.urls, else txc.jdbc.url
      String url =
          Settings.string(
              "txc.relay." + outboxName + ".jdbc.url",
              urls.getOrDefault(outboxName, Settings.string("txc.jdbc.url", "")));
      if (url.isBlank()) {
        throw new Settings.SettingException(
            "txc.relay." + outboxName + ".jdbc.url", "is required", url);
      }
      HikariDataSource dataSource =
          Database.open(
              name + "-" + outboxName,
              url,
              Settings.string("txc.jdbc.user", "root"),
              Settings.string("txc.jdbc.password", ""),
              8);
      SchemaMigrator.migrate(dataSource, "common", "outbox");
      // the delivery store, and the branch store for the check-back's settling of a branch
      SqlSessionTemplate store =
          MyBatisStore.open(
              dataSource, "mapper/OutboxDeliveryMapper.xml", "mapper/OutboxMapper.xml");
      // the fencing token of this relay's leadership over the outbox, raised at each grant of the
      // latch below and carried by every write (LeaderEpoch)
      LeaderEpoch epoch =
          new LeaderEpoch(
              outboxName,
              name,
              store.getMapper(OutboxDeliveryMapper.class),
              new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
      OutboxRelay relay =
          new OutboxRelay(
              outboxName,
              store.getMapper(OutboxDeliveryMapper.class),
              store.getMapper(OutboxMapper.class),
              new SubscriptionRegistry(zk),
              group ->
                  consumers.computeIfAbsent(group, g -> dubbo.reference(EventConsumer.class, g)),
              RelayMain::tcStatus,
              dubbo.reference(OutboxCheck.class, outboxName),
              ladder,
              immunity,
              Duration.ofMillis(groupBudgetMillis),
              // one task per consumer group at most, each with its lanes (OutboxRelay): threads
              // are bounded by the groups and the lanes, and a hung group's threads never make
              // another group's task queue
              Executors.newCachedThreadPool(deliveryThreads(outboxName)),
              lanes,
              alerts,
              epoch);
      LeaderLatch latch = new LeaderLatch(zk, "/txc/relay/" + outboxName + "/leader", name);
      latch.addListener(
          new LeaderLatchListener() {
            @Override
            public void isLeader() {
              epoch.granted();
              log.info(
                  "relay leadership acquired name={} outbox={} at_ms={}",
                  name,
                  outboxName,
                  System.currentTimeMillis());
            }

            @Override
            public void notLeader() {
              epoch.revoke();
              log.info("relay leadership lost name={} outbox={}", name, outboxName);
            }
          });
      latch.start();
      RelayMetrics.bind(
          outboxName, store.getMapper(OutboxDeliveryMapper.class), latch::hasLeadership);
      Thread loop =
          new Thread(
              new RelayLoop(relay, latch::hasLeadership, new PollPacer(busyPollMillis, pollMillis)),
              "relay-" + outboxName);
      loops.add(loop);
    }
    loops.forEach(Thread::start);
    Readiness.markReady(name);
    log.info(
        "relay ready name={} outboxes={} ladder={} immunity_ms={} poll_ms={} busy_poll_ms={}",
        name,
        outboxes,
        ladder.steps(),
        immunity.toMillis(),
        pollMillis,
        busyPollMillis);
    for (Thread loop : loops) {
      loop.join();
    }
  }

  /**
   * The outboxes' JDBC URLs from {@code txc.relay.jdbc.urls}: {@code <outbox>=<url>} entries joined
   * by {@code |} (a URL holds {@code =} in its query, never {@code |}).
   */
  static Map<String, String> outboxUrls(String text) {
    Map<String, String> urls = new java.util.LinkedHashMap<>();
    for (String entry : text.split("\\|")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 1) {
        throw new Settings.SettingException(
            "txc.relay.jdbc.urls", "must be <outbox>=<url> entries joined by '|'", entry);
      }
      urls.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return urls;
  }

  private static java.util.concurrent.ThreadFactory deliveryThreads(String outboxName) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "relay-" + outboxName + "-delivery-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static org.apache.seata.core.model.GlobalStatus tcStatus(String xid) {
    try {
      return TransactionManagerHolder.get().getStatus(xid);
    } catch (TransactionException e) {
      throw new IllegalStateException("TC status of " + xid + ": " + e.getMessage(), e);
    }
  }
}
