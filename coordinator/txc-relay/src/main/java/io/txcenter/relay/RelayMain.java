package io.txcenter.relay;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.AdvertisedAddress;
import io.txcenter.kit.Database;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.Readiness;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.SeataClient;
import io.txcenter.kit.Settings;
import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.OutboxCheck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.tm.TransactionManagerHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A relay process of one outbox. Several may run; a Curator {@link LeaderLatch} under {@code
 * /txc/relay/<outbox>/leader} makes exactly one of them active. Settings: {@code txc.name}, {@code
 * txc.relay.outbox} (mall), {@code txc.jdbc.url} (the outbox owner's schema), {@code
 * txc.relay.retry-ladder} (RocketMQ's 10s..2h), {@code txc.relay.immunity.ms} (6000), {@code
 * txc.relay.poll.ms} (100), {@code txc.relay.zk-session.ms} (3000), {@code
 * txc.relay.alert-webhook}.
 */
public final class RelayMain {

  private static final Logger log = LoggerFactory.getLogger(RelayMain.class);

  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    String name = Settings.string("txc.name", "relay");
    String outboxName = Settings.string("txc.relay.outbox", "mall");
    if (!outboxName.matches("[a-z0-9-]{1,32}")) {
      throw new Settings.SettingException(
          "txc.relay.outbox", "must match [a-z0-9-]{1,32}", outboxName);
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

    AdvertisedAddress.apply();
    HikariDataSource dataSource = Database.fromSettings(name);
    SchemaMigrator.migrate(dataSource, "common", "outbox");
    OutboxMapper outbox =
        MyBatisStore.open(dataSource, "mapper/OutboxMapper.xml").getMapper(OutboxMapper.class);
    TransactionTemplate transactions =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    SeataClient.start(name);
    CuratorFramework zk =
        ZooKeeperClient.connect((int) Settings.longValue("txc.relay.zk-session.ms", 3_000));
    DubboNode dubbo = DubboNode.consumer(name).start();
    Map<String, EventConsumer> consumers = new ConcurrentHashMap<>();
    OutboxCheck businessCheck = dubbo.reference(OutboxCheck.class, outboxName);

    OutboxRelay relay =
        new OutboxRelay(
            outbox,
            transactions,
            new SubscriptionRegistry(zk),
            group -> consumers.computeIfAbsent(group, g -> dubbo.reference(EventConsumer.class, g)),
            RelayMain::tcStatus,
            businessCheck,
            ladder,
            immunity,
            Executors.newFixedThreadPool(8),
            new Alerts(Settings.string("txc.relay.alert-webhook", "")));

    LeaderLatch latch = new LeaderLatch(zk, "/txc/relay/" + outboxName + "/leader", name);
    latch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            log.info(
                "relay leadership acquired name={} outbox={} at_ms={}",
                name,
                outboxName,
                System.currentTimeMillis());
          }

          @Override
          public void notLeader() {
            log.info("relay leadership lost name={} outbox={}", name, outboxName);
          }
        });
    latch.start();
    Readiness.markReady(name);
    log.info(
        "relay ready name={} outbox={} ladder={} immunity_ms={}",
        name,
        outboxName,
        ladder.steps(),
        immunity.toMillis());
    run(relay, latch, pollMillis);
  }

  /**
   * Polls: the outbox is a table written by other processes, and a database gives no portable
   * change notification, so the leader looks again every {@code pollMillis} when idle.
   */
  private static void run(OutboxRelay relay, LeaderLatch latch, long pollMillis)
      throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      int attempted = 0;
      if (latch.hasLeadership()) {
        try {
          attempted = relay.cycle();
        } catch (Exception e) {
          log.error("relay cycle failed", e);
        }
      }
      if (attempted == 0) {
        Thread.sleep(pollMillis);
      }
    }
  }

  private static org.apache.seata.core.model.GlobalStatus tcStatus(String xid) {
    try {
      return TransactionManagerHolder.get().getStatus(xid);
    } catch (TransactionException e) {
      throw new IllegalStateException("TC status of " + xid + ": " + e.getMessage(), e);
    }
  }
}
