package io.txcenter.accompaniment;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.AdvertisedAddress;
import io.txcenter.kit.BindAddress;
import io.txcenter.kit.Database;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.Readiness;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.kit.Settings;
import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.kit.validation.Ids;
import io.txcenter.metrics.MetricsEndpoint;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.TagExpression;
import io.txcenter.outbox.api.EventConsumer;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber process (accompaniment groups, or the accounting consumer). Settings: {@code
 * txc.subscriber.group} (required), {@code txc.subscriber.topic} (accompaniment), {@code
 * txc.subscriber.tags} (a tag expression, required), {@code txc.subscriber.fail-first} (0), {@code
 * txc.jdbc.url} (own schema), {@code txc.dubbo.port}.
 */
public final class SubscriberMain {

  private static final Logger log = LoggerFactory.getLogger(SubscriberMain.class);

  private SubscriberMain() {}

  public static void main(String[] args) throws Exception {
    String group = Settings.required("txc.subscriber.group");
    if (!Ids.isChannel(group)) {
      throw new Settings.SettingException(
          "txc.subscriber.group", "must match " + Ids.CHANNEL, group);
    }
    String topic = Settings.string("txc.subscriber.topic", "accompaniment");
    TagExpression tags;
    try {
      tags = TagExpression.parse(Settings.required("txc.subscriber.tags"));
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingException(
          "txc.subscriber.tags", e.getMessage(), Settings.string("txc.subscriber.tags", ""));
    }
    int failFirst = (int) Settings.longValue("txc.subscriber.fail-first", 0);
    String name = Settings.string("txc.name", "sub-" + group);

    String handler = Settings.string("txc.subscriber.handler", "accompaniment");
    AdvertisedAddress.apply();
    MetricsEndpoint.startFromSettings(BindAddress.address());
    HikariDataSource dataSource = Database.fromSettings(name);
    IdempotentConsumer idempotent = new IdempotentConsumer(group, dataSource);
    EventConsumer consumer;
    switch (handler) {
      case "accompaniment" -> {
        SchemaMigrator.migrate(dataSource, "consumer");
        consumer = new AccompanimentConsumer(idempotent, failFirst);
      }
      case "accounting" -> {
        SchemaMigrator.migrate(dataSource, "consumer", "accounting");
        consumer = new AccountingConsumer(idempotent);
      }
      default ->
          throw new Settings.SettingException(
              "txc.subscriber.handler", "must be accompaniment or accounting", handler);
    }
    DubboNode.provider(name, Settings.port("txc.dubbo.port", 20895))
        .export(
            EventConsumer.class,
            consumer,
            group,
            Callers.of(EventConsumer.class).allow("consume", "relay"))
        .start();
    CuratorFramework zk = ZooKeeperClient.connect(10_000);
    new SubscriptionRegistry(zk).register(topic, group, tags);
    Readiness.markReady(name);
    log.info(
        "subscriber ready group={} topic={} tags={} fail_first={}", group, topic, tags, failFirst);
    new CountDownLatch(1).await();
  }
}
