package io.txcenter.notify;

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
import io.txcenter.metrics.MetricsEndpoint;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.TagExpression;
import io.txcenter.outbox.api.EventConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merchant notifier process: subscribes group {@code notifier} to topic {@code
 * merchant-notify}, records notifications once, and calls merchants. Settings: {@code
 * txc.notify.merchant-url} (http://127.0.0.1:20910/notify/), {@code txc.notify.ladder} (the waits
 * after the immediate first attempt: 15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h), {@code
 * txc.jdbc.url}, {@code txc.dubbo.port} (20911).
 */
public final class NotifyMain {

  /** The common payment-platform ladder after the first, immediate attempt (0 s). */
  public static final String LADDER = "15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h";

  private static final Logger log = LoggerFactory.getLogger(NotifyMain.class);

  private NotifyMain() {}

  public static void main(String[] args) throws Exception {
    String name = Settings.string("txc.name", "notifier");
    RetryLadder ladder;
    try {
      ladder = RetryLadder.parse(Settings.string("txc.notify.ladder", LADDER));
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingException(
          "txc.notify.ladder", e.getMessage(), Settings.string("txc.notify.ladder", ""));
    }
    String merchantUrl =
        Settings.string("txc.notify.merchant-url", "http://127.0.0.1:20910/notify/");
    AdvertisedAddress.apply();
    MetricsEndpoint.startFromSettings(BindAddress.address());
    HikariDataSource dataSource = Database.fromSettings(name);
    SchemaMigrator.migrate(dataSource, "consumer", "notify");
    IdempotentConsumer idempotent = new IdempotentConsumer("notifier", dataSource);
    DubboNode.provider(name, Settings.port("txc.dubbo.port", 20911))
        .export(
            EventConsumer.class,
            new NotifyConsumer(idempotent),
            "notifier",
            Callers.of(EventConsumer.class).allow("consume", "relay"))
        .start();
    new SubscriptionRegistry(ZooKeeperClient.connect(10_000))
        .register("merchant-notify", "notifier", TagExpression.parse("*"));
    MerchantKeys keys = MerchantKeys.fromSecrets();
    if (!keys.hasMasterKey()) {
      // merchants with an explicit merchant.<id>.key are still signed for; the others fail
      log.warn("notifier has no merchant master key secret=merchant.master-key");
    }
    MerchantNotifier notifier =
        new MerchantNotifier(
            idempotent.jdbc(), ladder, merchantUrl, keys, java.time.Clock.systemUTC());
    Readiness.markReady(name);
    log.info("notifier ready merchant_url={} ladder={}", merchantUrl, ladder.steps());
    // polls: due times live in the database and notifications arrive from another process
    while (!Thread.currentThread().isInterrupted()) {
      int attempted = 0;
      try {
        attempted = notifier.attemptDue();
      } catch (RuntimeException e) {
        log.error("notifier pass failed", e);
      }
      if (attempted == 0) {
        Thread.sleep(200);
      }
    }
  }
}
