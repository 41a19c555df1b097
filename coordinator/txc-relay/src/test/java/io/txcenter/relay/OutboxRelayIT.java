package io.txcenter.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.ZooKeeperCredential;
import io.txcenter.outbox.OutboxAppendAction;
import io.txcenter.outbox.OutboxAppendTcc;
import io.txcenter.outbox.OutboxDeliveryMapper;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.OutboxStatus;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.TagExpression;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.outbox.api.OutboxMessage;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.FreePorts;
import io.txcenter.testkit.TestDatabase;
import io.txcenter.zk.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's cycle on a real MariaDB outbox with subscriptions in a real ZooKeeper: failures are
 * contained per step, topic, subscription and consumer group; unrouted messages are alerted and
 * kept; check-back takes the fence lock first, on the database's UTC clock, and settles the fence.
 * Consumers are in-process {@link EventConsumer}s: the relay only sees that interface (in
 * production a Dubbo reference, whose timeout is modelled by a consumer that blocks).
 */
public class OutboxRelayIT {

  private static final String CREDENTIAL = "txc:" + UUID.randomUUID();
  private static final RetryLadder LADDER = RetryLadder.parse("1h");

  @TempDir static Path dir;
  private static EmbeddedZooKeeper zkServer;
  private static CuratorFramework zk;
  private static SubscriptionRegistry registry;
  private static HikariDataSource dataSource;
  private static String schema;
  private static JdbcTemplate jdbc;
  private static OutboxMapper mapper;
  private static OutboxDeliveryMapper delivery;
  private static TransactionTemplate transactions;

  private final Map<String, EventConsumer> consumers = new ConcurrentHashMap<>();
  private ExecutorService deliveryThreads;

  @BeforeAll
  static void start() throws Exception {
    zkServer = EmbeddedZooKeeper.start(FreePorts.next(), dir.resolve("zk"), List.of(CREDENTIAL));
    zk =
        ZooKeeperClient.connect(
            zkServer.connectString(), ZooKeeperCredential.parse(CREDENTIAL), 10_000);
    registry = new SubscriptionRegistry(zk);
    dataSource = TestDatabase.get().freshSchema("relay", "common", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    TccFence.install(dataSource);
    mapper = mapperOn(dataSource);
    delivery = deliveryOn(dataSource);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    // the relay's counters land on the global registry, which has none until one is added
    io.micrometer.core.instrument.Metrics.addRegistry(
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  @AfterAll
  static void stop() {
    if (zk != null) {
      zk.close();
    }
    if (zkServer != null) {
      zkServer.close();
    }
    if (dataSource != null) {
      dataSource.close();
      TestDatabase.get().dropSchema(schema);
    }
  }

  @BeforeEach
  void emptyOutbox() {
    for (String table :
        List.of(
            "outbox_message",
            "outbox_delivery",
            "outbox_dead_letter",
            "outbox_counter",
            "outbox_alert",
            "relay_leader",
            "tcc_fence_log")) {
      jdbc.update("DELETE FROM " + table);
    }
    deliveryThreads = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stopThreads() {
    deliveryThreads.shutdownNow();
  }

  // ------------------------------------------------------------------ defect: one bad subscription

  @Test
  void givenMalformedSubscriptions_theValidOnesStillReceive_andEachBadOneIsAlerted()
      throws Exception {
    String topic = topic();
    registry.register(topic, "good", TagExpression.parse("OPS"));
    // nodes no subscriber would write, made directly: an unparsable expression, a bad group name
    zk.create()
        .creatingParentsIfNeeded()
        .forPath(
            SubscriptionRegistry.ROOT + "/" + topic + "/broken",
            "OPS ||| (((".getBytes(StandardCharsets.UTF_8));
    zk.create()
        .forPath(
            SubscriptionRegistry.ROOT + "/" + topic + "/Not_A_Group",
            "*".getBytes(StandardCharsets.UTF_8));
    List<String> received = recordingConsumer("good");
    long first = readyMessage(topic, "OPS", "k-1");
    long second = readyMessage(topic, "OPS", "k-2");
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);

    for (int i = 0; i < 3; i++) {
      relay.cycle();
    }

    assertThat(fannedOut(first)).isEqualTo(1);
    assertThat(fannedOut(second)).isEqualTo(1);
    assertThat(deliveryStatus(first, "good")).isEqualTo("DELIVERED");
    assertThat(deliveryStatus(second, "good")).isEqualTo("DELIVERED");
    assertThat(received).hasSize(2);
    assertThat(
            jdbc.queryForList(
                "SELECT subject FROM outbox_alert WHERE alert = 'BAD_SUBSCRIPTION' ORDER BY subject",
                String.class))
        .containsExactlyInAnyOrder(topic + "/Not_A_Group", topic + "/broken");
    // raised once within the repeat window, however many cycles saw it
    assertThat(
            jdbc.queryForObject(
                "SELECT MAX(times) FROM outbox_alert WHERE alert = 'BAD_SUBSCRIPTION'",
                Integer.class))
        .isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_delivery", Integer.class))
        .isEqualTo(2);
  }

  @Test
  void givenATopicWhoseSubscriptionsCannotBeRead_theOtherTopicsStillFanOut() throws Exception {
    String good = topic();
    String unreadable = unreadableTopic();
    registry.register(good, "good", TagExpression.parse("*"));
    recordingConsumer("good");
    long stuck = readyMessage(unreadable, "OPS", "k-1");
    long routed = readyMessage(good, "OPS", "k-2");
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);

    relay.cycle();

    assertThat(fannedOut(stuck)).as("waits until its topic can be read").isZero();
    assertThat(deliveryStatus(routed, "good")).isEqualTo("DELIVERED");
    assertThat(alerts("STEP_FAILED")).containsExactly("subscriptions " + unreadable);
  }

  // ------------------------------------------------------------------ defect: no subscription

  @Test
  void givenNoSubscription_theMessageIsAlerted_andFannedOutOnceASubscriptionAppears()
      throws Exception {
    String topic = topic();
    long message = readyMessage(topic, "CS", "k-1");
    String messageId = messageId(message);
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);

    relay.cycle();
    relay.cycle();

    assertThat(fannedOut(message)).isEqualTo(OutboxDeliveryMapper.UNROUTED);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_delivery", Integer.class)).isZero();
    assertThat(alerts("NO_SUBSCRIPTION")).containsExactly(messageId);
    assertThat(
            jdbc.queryForObject(
                "SELECT detail FROM outbox_alert WHERE alert = 'NO_SUBSCRIPTION'", String.class))
        .contains("topic=" + topic)
        .contains("tags=CS")
        .contains("message=" + messageId);
    assertThat(counter("unrouted")).isEqualTo(1);

    List<String> received = recordingConsumer("late");
    registry.register(topic, "late", TagExpression.parse("CS"));
    // unrouted messages are looked at again once a second
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              relay.cycle();
              return received.size() == 1;
            });

    assertThat(fannedOut(message)).isEqualTo(OutboxDeliveryMapper.FANNED_OUT);
    assertThat(deliveryStatus(message, "late")).isEqualTo("DELIVERED");
    assertThat(received).containsExactly(messageId);
    assertThat(counter("routed_late")).isEqualTo(1);
  }

  // ------------------------------------------------------------------ defect: one bad message

  @Test
  void givenOneMessageWhoseFanOutFails_theOthersGoOut_andItAloneIsAlerted() throws Exception {
    String topic = topic();
    registry.register(topic, "batch", TagExpression.parse("*"));
    List<String> received = recordingConsumer("batch");
    long before = readyMessage(topic, "OPS", "b-1");
    long poisoned = readyMessage(topic, "OPS", "poison-1");
    long after = readyMessage(topic, "OPS", "b-2");
    // the database refuses this one message's delivery row
    jdbc.execute(
        "CREATE TRIGGER poison_fan_out BEFORE INSERT ON outbox_delivery FOR EACH ROW BEGIN"
            + " IF NEW.business_key LIKE 'poison-%' THEN SIGNAL SQLSTATE '45000'"
            + " SET MESSAGE_TEXT = 'poisoned fan-out'; END IF; END");
    try {
      OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);

      relay.cycle();

      assertThat(fannedOut(before)).isEqualTo(1);
      assertThat(fannedOut(after)).isEqualTo(1);
      assertThat(fannedOut(poisoned)).as("waits, to be tried again next cycle").isZero();
      assertThat(alerts("STEP_FAILED")).containsExactly("fan-out " + messageId(poisoned));
      assertThat(received).containsExactlyInAnyOrder(messageId(before), messageId(after));
      assertThat(counter("delivered")).isEqualTo(2);
    } finally {
      jdbc.execute("DROP TRIGGER IF EXISTS poison_fan_out");
    }
  }

  // ------------------------------------------------------ defect: a key overtaken at fan-out

  /**
   * Chaos run, seed 1 on a clean clone: after a database restart the fan-out of an order's first
   * event failed (a dead pooled connection) and its second went out, so the second was delivered
   * first. A key's later messages now wait behind the first one that waits.
   */
  @Test
  void givenAKeysEarlierMessageWhoseFanOutFails_itsLaterOnesWaitBehindIt_whileOtherKeysGoOut()
      throws Exception {
    String topic = topic();
    registry.register(topic, "keyed", TagExpression.parse("*"));
    List<String> received = recordingConsumer("keyed");
    long first = readyMessage(topic, "OPS", "k-1");
    long second = readyMessage(topic, "ORCH", "k-1");
    long other = readyMessage(topic, "OPS", "k-2");
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);
    // the database refuses the key's first delivery row, for one cycle
    jdbc.execute(
        "CREATE TRIGGER refuse_first BEFORE INSERT ON outbox_delivery FOR EACH ROW BEGIN"
            + " IF NEW.message_pk = "
            + first
            + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused fan-out'; END IF; END");
    try {
      relay.cycle();

      assertThat(fannedOut(first)).isZero();
      assertThat(fannedOut(second)).as("waits behind the key's first message").isZero();
      assertThat(received).containsExactly(messageId(other));
      assertThat(alerts("STEP_FAILED")).containsExactly("fan-out " + messageId(first));
    } finally {
      jdbc.execute("DROP TRIGGER IF EXISTS refuse_first");
    }

    relay.cycle();

    assertThat(received).containsExactly(messageId(other), messageId(first), messageId(second));
  }

  @Test
  void givenAKeysEarlierMessageOnATopicThatCannotBeRead_itsLaterOneOnAnotherTopicWaits()
      throws Exception {
    String unreadable = unreadableTopic();
    String good = topic();
    registry.register(good, "good", TagExpression.parse("*"));
    List<String> received = recordingConsumer("good");
    long earlier = readyMessage(unreadable, "OPS", "k-1");
    long later = readyMessage(good, "OPS", "k-1");
    long otherKey = readyMessage(good, "OPS", "k-2");
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);

    relay.cycle();

    assertThat(fannedOut(earlier)).isZero();
    assertThat(fannedOut(later)).as("the key waits for its earlier message's topic").isZero();
    assertThat(received).containsExactly(messageId(otherKey));
  }

  // ------------------------------------------------------------------ defect: one hung group

  @Test
  void givenAHungConsumerGroup_aHealthyGroupIsDeliveredWithinItsOwnBound() throws Exception {
    String topic = topic();
    registry.register(topic, "slow", TagExpression.parse("SLOW"));
    registry.register(topic, "fast", TagExpression.parse("FAST"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowEntered = new AtomicInteger();
    consumers.put(
        "slow",
        message -> {
          slowEntered.incrementAndGet();
          try {
            // what a hung provider costs a Dubbo reference: the call's timeout (txc: 10 s)
            if (!release.await(10, TimeUnit.SECONDS)) {
              throw new IllegalStateException("Invoke remote method timeout (10000 ms)");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("provider gone");
        });
    List<String> fast = recordingConsumer("fast");
    for (int i = 0; i < 210; i++) {
      readyMessage(topic, "SLOW", "s-" + i);
    }
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofMillis(300), GlobalStatus.Begin);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop = relayLoop(relay, running);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> slowEntered.get() >= 1);
      // the healthy group's messages come while the hung group's first attempt is in progress
      for (int i = 0; i < 20; i++) {
        readyMessage(topic, "FAST", "f-" + i);
      }
      long published = System.nanoTime();

      await().atMost(Duration.ofSeconds(5)).until(() -> fast.size() == 20);

      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
      System.out.printf("healthy group: 20 deliveries in %d ms beside a hung group%n", millis);
      assertThat(delivered("fast")).isEqualTo(20);
      assertThat(delivered("slow")).isZero();
      assertThat(slowEntered.get())
          .as("the hung group's task is never started twice: one call per lane")
          .isEqualTo(OutboxRelay.DEFAULT_LANES);
    } finally {
      release.countDown();
      running.set(false);
      loop.interrupt();
      loop.join(30_000);
    }
  }

  // ------------------------------------------------------------------ the loop: wake-up, idle cost

  @Test
  void givenDueDeliveriesOfDistinctKeys_aGroupsTaskDeliversThemAtOnce_butAKeysOwnInOrder()
      throws Exception {
    String topic = topic();
    registry.register(topic, "lanes", TagExpression.parse("*"));
    // both keys' first deliveries must be in the consumer at the same time, or neither returns
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    consumers.put(
        "lanes",
        message -> {
          received.add(message.messageId());
          // the keys' first events (OPS); the later one (ORCH) follows ka's first in its lane
          if (message.tags().contains("OPS")) {
            try {
              together.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("not delivered at once: " + e);
            }
          }
        });
    long a = readyMessage(topic, "OPS", "ka");
    long b = readyMessage(topic, "OPS", "kb");
    long aLater = readyMessage(topic, "ORCH", "ka"); // after a: order per key
    OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop = relayLoop(relay, running);
    try {
      await().atMost(Duration.ofSeconds(15)).until(() -> delivered("lanes") == 3);

      assertThat(retried("lanes")).as("no attempt waited for the other lane").isZero();
      assertThat(received.indexOf(messageId(a))).isLessThan(received.indexOf(messageId(aLater)));
      assertThat(received).contains(messageId(b));
    } finally {
      running.set(false);
      loop.interrupt();
      loop.join(30_000);
    }
  }

  @Test
  void theBacklogAndTheRelaysWork_areMetered_byStateGroupAndOutcome() throws Exception {
    String topic = topic();
    registry.register(topic, "metered", TagExpression.parse("*"));
    recordingConsumer("metered");
    readyMessage(topic, "OPS", "k-m");
    Map<String, OutboxDeliveryMapper.Backlog> before = new java.util.HashMap<>();
    delivery.backlog().forEach(b -> before.put(b.state(), b));
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(meters);
    try {
      OutboxRelay relay = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);
      relay.cycle();
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered("metered") == 1);

      assertThat(before.get("ready").messages()).isEqualTo(1);
      assertThat(before.get("ready").oldestSeconds()).isBetween(0.0, 60.0);
      assertThat(before.get("pending").messages()).isZero();
      assertThat(before.keySet()).containsExactlyInAnyOrder("prepared", "ready", "pending", "dead");
      assertThat(meters.get("txc.outbox.fanouts").tag("outbox", "test").counter().count())
          .isEqualTo(1);
      assertThat(
              meters
                  .get("txc.outbox.deliveries")
                  .tags("outbox", "test", "group", "metered", "outcome", "delivered")
                  .counter()
                  .count())
          .isEqualTo(1);
      RelayMetrics.bind("test", delivery, () -> true);
      System.gc(); // a gauge whose object was only weakly held would now read NaN
      assertThat(meters.get("txc.relay.leader").tag("outbox", "test").gauge().value()).isEqualTo(1);
      assertThat(
              meters
                  .get("txc.outbox.messages")
                  .tags("outbox", "test", "state", "pending")
                  .gauge()
                  .value())
          .isZero();
      Map<String, OutboxDeliveryMapper.Backlog> after = new java.util.HashMap<>();
      delivery.backlog().forEach(b -> after.put(b.state(), b));
      assertThat(after.get("ready").messages()).isZero();
      assertThat(after.get("pending").messages()).isZero();
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(meters);
    }
  }

  @Test
  void givenAKeysEventsDueTogether_oneTaskDeliversThemInOrder_withoutAnotherPass()
      throws Exception {
    String topic = topic();
    registry.register(topic, "chained", TagExpression.parse("*"));
    List<String> received = recordingConsumer("chained");
    long first = readyMessage(topic, "OPS", "k-1");
    long second = readyMessage(topic, "ORCH", "k-1");
    long third = readyMessage(topic, "CS", "k-1");
    Map<String, List<Long>> calls = new ConcurrentHashMap<>();
    OutboxRelay relay = countedRelay(calls, Duration.ofSeconds(2));
    relay.pass(); // fans out all three, reads the group's due deliveries and starts its task
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered("chained") == 3);

    assertThat(received).containsExactly(messageId(first), messageId(second), messageId(third));
    assertThat(calls(calls, "findDue")).as("one task, one read of the due deliveries").isEqualTo(1);
  }

  @Test
  void givenAKeysFirstEventFails_itsLaterEventsWaitBehindIt_whileOtherKeysGoOn() throws Exception {
    String topic = topic();
    registry.register(topic, "stops", TagExpression.parse("*"));
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    long first = readyMessage(topic, "OPS", "k-bad");
    long later = readyMessage(topic, "ORCH", "k-bad");
    long other = readyMessage(topic, "OPS", "k-good");
    String failing = messageId(first);
    consumers.put(
        "stops",
        message -> {
          received.add(message.messageId());
          if (message.messageId().equals(failing)) {
            throw new IllegalStateException("consumer down for " + failing);
          }
        });
    Map<String, List<Long>> calls = new ConcurrentHashMap<>();
    OutboxRelay relay = countedRelay(calls, Duration.ofSeconds(2));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop =
        new Thread(new RelayLoop(relay, running::get, new PollPacer(5, 20)), "relay-loop");
    loop.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered("stops") == 1);
      // more passes after the failure: the later event must still not have been tried
      long after = calls(calls, "findDueGroups");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> calls(calls, "findDueGroups") >= after + 5);

      assertThat(deliveryStatus(other, "stops")).isEqualTo("DELIVERED");
      assertThat(received)
          .as("the failed one tried once (ladder 1h), its later one never")
          .containsExactlyInAnyOrder(messageId(first), messageId(other));
      assertThat(deliveryStatus(first, "stops")).isEqualTo("PENDING");
      assertThat(deliveryStatus(later, "stops")).isEqualTo("PENDING");
      assertThat(
              jdbc.queryForObject(
                  "SELECT attempts FROM outbox_delivery WHERE message_pk = ? AND consumer_group = ?",
                  Integer.class,
                  later,
                  "stops"))
          .isZero();
    } finally {
      running.set(false);
      loop.interrupt();
      loop.join(30_000);
    }
  }

  @Test
  void givenALaterEventOfTheSameKey_itGoesOutWhenTheGroupsTaskEnds_notAtTheNextPoll()
      throws Exception {
    String topic = topic();
    registry.register(topic, "ordered", TagExpression.parse("*"));
    CountDownLatch release = new CountDownLatch(1);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    consumers.put(
        "ordered",
        message -> {
          received.add(message.messageId());
          try {
            // the first delivery is slow: the loop's next pass finds the group busy and waits
            if (received.size() == 1 && !release.await(10, TimeUnit.SECONDS)) {
              throw new IllegalStateException("not released");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    long first = readyMessage(topic, "OPS", "k-1");
    Map<String, List<Long>> calls = new ConcurrentHashMap<>();
    OutboxRelay relay = countedRelay(calls, Duration.ofSeconds(2));
    // every wait the pacer asks for is 30 s: only the wake-up can deliver the second in time
    Thread loop =
        new Thread(new RelayLoop(relay, () -> true, new PollPacer(30_000, 30_000)), "relay-loop");
    loop.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
      // committed while the first is in the consumer: not in that task, it waits for the first
      long second = readyMessage(topic, "ORCH", "k-1");
      // a pass that found the group busy (and so nothing to do) has run: the loop now waits
      await().atMost(Duration.ofSeconds(10)).until(() -> calls(calls, "findDueGroups") >= 2);
      long released = System.nanoTime();
      release.countDown();

      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);

      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released))
          .as("woken by the task's end, not the 30 s poll")
          .isLessThan(5_000);
      assertThat(received).containsExactly(messageId(first), messageId(second));
      await().atMost(Duration.ofSeconds(5)).until(() -> delivered("ordered") == 2);
    } finally {
      release.countDown();
      loop.interrupt();
      loop.join(10_000);
    }
  }

  @Test
  void afterWork_theLoopBacksOffToTheIdlePoll_soAnIdleRelayQueriesOncePerPoll() throws Exception {
    String topic = topic();
    registry.register(topic, "idle", TagExpression.parse("*"));
    List<String> received = recordingConsumer("idle");
    for (int i = 0; i < 3; i++) {
      readyMessage(topic, "OPS", "i-" + i);
    }
    Map<String, List<Long>> calls = new ConcurrentHashMap<>();
    OutboxRelay relay = countedRelay(calls, Duration.ofSeconds(2));
    Thread loop =
        new Thread(new RelayLoop(relay, () -> true, new PollPacer(10, 100)), "relay-loop");
    loop.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered("idle") == 3);
      int after = (int) calls(calls, "findUnfanned");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> calls(calls, "findUnfanned") >= after + 12);

      List<Long> passes = List.copyOf(calls.get("findUnfanned")).subList(after, after + 12);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(passes.get(11) - passes.get(0));
      // 10, 20, 40, 80 ms, then the idle poll: 11 waits of at least 850 ms in all
      assertThat(elapsedMs).as("11 passes with nothing to do").isGreaterThanOrEqualTo(800);
      for (int i = 8; i < 12; i++) {
        assertThat(TimeUnit.NANOSECONDS.toMillis(passes.get(i) - passes.get(i - 1)))
            .as("an idle pass waits the idle poll")
            .isGreaterThanOrEqualTo(95);
      }
      assertThat(received).hasSize(3);
    } finally {
      loop.interrupt();
      loop.join(10_000);
    }
  }

  @Test
  void givenARelayThatDoesNotLead_theLoopReadsNothing() throws Exception {
    String topic = topic();
    registry.register(topic, "none", TagExpression.parse("*"));
    List<String> received = recordingConsumer("none");
    readyMessage(topic, "OPS", "n-1");
    Map<String, List<Long>> calls = new ConcurrentHashMap<>();
    OutboxRelay relay = countedRelay(calls, Duration.ofSeconds(2));
    Thread loop =
        new Thread(new RelayLoop(relay, () -> false, new PollPacer(10, 20)), "relay-loop");
    loop.start();
    try {
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(calls::isEmpty);
      assertThat(received).isEmpty();
    } finally {
      loop.interrupt();
      loop.join(10_000);
    }
  }

  // ------------------------------------------------------------------ defect: lock order

  @Test
  void givenCancelHoldsTheFenceRow_aConcurrentCheckBackDiscard_waitsForIt_withoutDeadlock()
      throws Exception {
    CountDownLatch cancelLocked = new CountDownLatch(1);
    CountDownLatch releaseCancel = new CountDownLatch(1);
    PausingAppend action = new PausingAppend(mapper, cancelLocked, releaseCancel);
    FenceHarness fence = new FenceHarness(action, OutboxAppendAction.NAME);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> append(action, branch, "k-lock"));
    OutboxRelay relay = relay(Duration.ZERO, Duration.ofSeconds(2), GlobalStatus.Rollbacked);
    await().until(() -> prepared(branch) == 2 && isPastImmunity(branch));

    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      // the TC's Cancel: Seata's fence locks the fence row, then calls cancel (paused here)
      Future<Boolean> cancel = two.submit(() -> fence.cancel(branch));
      assertThat(cancelLocked.await(10, TimeUnit.SECONDS)).isTrue();
      // the check-back of the same branch, as the TC answers Rollbacked
      Future<?> checkBack = two.submit(relay::checkBack);
      await().atMost(Duration.ofSeconds(10)).until(() -> lockWaits() >= 1);
      // Cancel goes on to the outbox rows: the check-back must hold none of them
      releaseCancel.countDown();

      assertThat(cancel.get(30, TimeUnit.SECONDS)).isTrue();
      checkBack.get(30, TimeUnit.SECONDS);
    } finally {
      releaseCancel.countDown();
      two.shutdownNow();
    }
    assertThat(alerts("STEP_FAILED")).as("no deadlock victim").isEmpty();
    assertThat(statuses(branch)).containsOnly("DISCARDED");
    assertThat(
            jdbc.queryForList(
                "SELECT resolved_by FROM outbox_message WHERE xid = ?",
                String.class,
                branch.getXid()))
        .containsOnly("TCC");
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  // ------------------------------------------------------------------ defect: time zones

  @Test
  void givenTheWritersSessionAheadOfUtc_aBranchPastTheImmunity_isResolved() {
    try (HikariDataSource writer = sessionInZone("+05:00");
        HikariDataSource reader = sessionInZone("-03:00")) {
      BusinessActionContext branch = preparedVia(writer, "k-tz-ahead");
      OutboxRelay relay =
          relay(reader, Duration.ofMillis(300), Duration.ofSeconds(2), GlobalStatus.Committed);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                relay.checkBack();
                return statuses(branch).equals(Set.of("READY"));
              });
      // no earlier than the immunity, on the database's clock (both stamps UTC)
      assertThat(
              jdbc.queryForObject(
                  "SELECT MIN(TIMESTAMPDIFF(MICROSECOND, created_at, ready_at)) FROM outbox_message"
                      + " WHERE xid = ?",
                  Long.class,
                  branch.getXid()))
          .isGreaterThanOrEqualTo(300_000L);
    }
  }

  @Test
  void givenTheWritersSessionBehindUtc_aFreshBranch_isNotResolvedBeforeTheImmunity() {
    try (HikariDataSource writer = sessionInZone("-05:00");
        HikariDataSource reader = sessionInZone("+09:00")) {
      BusinessActionContext branch = preparedVia(writer, "k-tz-behind");
      OutboxRelay relay =
          relay(reader, Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Committed);

      relay.checkBack();

      assertThat(statuses(branch)).containsOnly("PREPARED");
      assertThat(fenceStatus(branch)).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ defect: fence left tried

  @Test
  void givenTheTcAnswersFinished_andTheBusinessCommitted_checkBackSettlesTheFenceRowToo() {
    OutboxAppendTcc action = new OutboxAppendTcc(mapper);
    FenceHarness fence = new FenceHarness(action, OutboxAppendAction.NAME);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> append(action, branch, "k-finished"));
    assertThat(fenceStatus(branch)).isEqualTo(1);
    OutboxRelay relay =
        new OutboxRelay(
            "test",
            delivery,
            mapper,
            transactions,
            registry,
            consumers::get,
            xid -> GlobalStatus.Finished,
            (topic, key, xid) -> OutboxCheck.CheckOutcome.COMMITTED,
            LADDER,
            Duration.ZERO,
            Duration.ofSeconds(2),
            deliveryThreads,
            new Alerts(""));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              relay.checkBack();
              return statuses(branch).equals(Set.of("READY"));
            });

    assertThat(fenceStatus(branch)).as("committed, as Confirm leaves it").isEqualTo(2);
    assertThat(counter("checkback_business_ready")).isEqualTo(1);
    // the TC's own Confirm, if it still comes, is absorbed by the fence
    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fenceStatus(branch)).isEqualTo(2);
    assertThat(
            jdbc.queryForList(
                "SELECT resolved_by FROM outbox_message WHERE xid = ?",
                String.class,
                branch.getXid()))
        .containsOnly("CHECKBACK");
  }

  // ------------------------------------------------- issue 16: events carried by another branch

  @Test
  void givenMessagesCarriedByAnotherActionsBranch_checkBackLeavesThemAndItsFenceRowToThatAction() {
    BusinessActionContext branch = FenceHarness.newBranch();
    // as Outbox.prepareInBranch leaves them: PREPARED rows under the order branch, whose fence row
    // is the order action's
    new OutboxAppendTcc(mapper)
        .tryAppend(
            branch,
            List.of(new OutboxMessage(topic(), List.of("OPS"), "k-joined", "{}", Map.of())));
    jdbc.update(
        "INSERT INTO tcc_fence_log (xid, branch_id, action_name, status, gmt_create,"
            + " gmt_modified) VALUES (?, ?, 'orderCreate', 1, NOW(3), NOW(3))",
        branch.getXid(),
        branch.getBranchId());
    BusinessActionContext own = preparedVia(dataSource, "k-own");
    // the TC is retrying the commit: an own branch is settled READY, the carried one is not
    OutboxRelay relay = relay(Duration.ZERO, Duration.ofSeconds(2), GlobalStatus.CommitRetrying);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              relay.checkBack();
              return statuses(own).equals(Set.of("READY"));
            });

    assertThat(statuses(branch)).containsOnly("PREPARED");
    assertThat(fenceStatus(branch)).as("still tried: the order's Confirm settles it").isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  /** Cancel that signals once Seata's fence holds the fence row, then waits to be released. */
  public static final class PausingAppend extends OutboxAppendTcc {
    private final CountDownLatch locked;
    private final CountDownLatch release;

    PausingAppend(OutboxMapper mapper, CountDownLatch locked, CountDownLatch release) {
      super(mapper);
      this.locked = locked;
      this.release = release;
    }

    @Override
    public boolean cancel(BusinessActionContext context) {
      locked.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return super.cancel(context);
    }
  }

  // ------------------------------------------------------------------ defect: a leader paused
  // past its ZooKeeper session wakes beside the new one (issue 18)

  @Test
  void aFormerLeaderThatWakesBesideTheNewOne_callsNoConsumer_andMarksFansOutAndSettlesNothing()
      throws Exception {
    String topic = topic();
    registry.register(topic, "g", TagExpression.parse("*"));
    List<String> received = recordingConsumer("g");
    long due = readyMessage(topic, "OPS", "k-1");
    OutboxRelay warmUp = relay(Duration.ofSeconds(60), Duration.ofSeconds(2), GlobalStatus.Begin);
    warmUp.cycle(); // fanned out: a PENDING delivery is due
    assertThat(received).hasSize(1);
    jdbc.update("UPDATE outbox_delivery SET status = 'PENDING', attempts = 0, delivered_at = NULL");
    received.clear();
    long unfanned = readyMessage(topic, "OPS", "k-2");
    BusinessActionContext branch = preparedVia(dataSource, "k-3");
    LeaderEpoch former = epoch("relay-1");
    LeaderEpoch current = epoch("relay-2");
    OutboxRelay formerRelay = relay(former, Duration.ZERO, GlobalStatus.Committed);
    assertThat(former.acquire()).isTrue();
    // relay-1 is paused past its session; relay-2 is granted the latch and raises the epoch
    assertThat(current.acquire()).isTrue();
    double fencedBefore = fencedCount();

    formerRelay.cycle(); // relay-1 wakes and runs the pass it was in

    assertThat(received).as("no consumer called").isEmpty();
    assertThat(deliveryStatus(due, "g")).isEqualTo("PENDING");
    assertThat(fannedOut(unfanned)).as("not fanned out").isZero();
    assertThat(prepared(branch)).as("check-back settled nothing").isPositive();
    assertThat(fenceStatus(branch)).isEqualTo(1);
    assertThat(former.holds()).isFalse();
    assertThat(fencedCount()).isGreaterThan(fencedBefore);
    // it does not take the outbox back: only a new grant of the latch raises the epoch again
    assertThat(formerRelay.pass()).isFalse();
    assertThat(former.acquire()).isFalse();

    relay(current, Duration.ZERO, GlobalStatus.Committed).cycle();

    assertThat(deliveryStatus(due, "g")).isEqualTo("DELIVERED");
    assertThat(fannedOut(unfanned)).isEqualTo(1);
    assertThat(prepared(branch)).isZero();
  }

  @Test
  void theMarksOfADelivery_underAFormerEpoch_changeNothing_andUnderTheCurrentOneTheyDo() {
    String topic = topic();
    long message = readyMessage(topic, "OPS", "k-1");
    delivery.insertDelivery(message, "g", "k-1");
    LeaderEpoch former = epoch("relay-1");
    LeaderEpoch current = epoch("relay-2");
    former.acquire();
    current.acquire();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> former.inTransaction(() -> delivery.markRetry(message, "g", 1, 1_000, "x")))
        .isInstanceOf(LeaderEpoch.FencedException.class)
        .hasMessageContaining("no longer the leader's");
    assertThat(retried("g")).isZero();
    assertThat(former.holds()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> former.inTransaction(() -> delivery.markDelivered(message, "g")))
        .isInstanceOf(LeaderEpoch.FencedException.class);
    assertThat(deliveryStatus(message, "g")).isEqualTo("PENDING");
    org.assertj.core.api.Assertions.assertThatThrownBy(former::checkStillHeld)
        .isInstanceOf(LeaderEpoch.FencedException.class);

    assertThat(current.inTransaction(() -> delivery.markDelivered(message, "g"))).isEqualTo(1);
    assertThat(deliveryStatus(message, "g")).isEqualTo("DELIVERED");
  }

  @Test
  void aNewLeadersRaise_waitsForTheFormerLeadersWriteInFlight_whichStands() throws Exception {
    String topic = topic();
    long message = readyMessage(topic, "OPS", "k-1");
    LeaderEpoch former = epoch("relay-1");
    LeaderEpoch current = epoch("relay-2");
    former.acquire();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Object> write =
          threads.submit(
              () ->
                  former.inTransaction(
                      () -> {
                        delivery.insertDelivery(message, "g", "k-1");
                        inside.countDown();
                        try {
                          finish.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return null;
                      }));
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
      Future<Boolean> raise = threads.submit(current::acquire);
      await().atMost(Duration.ofSeconds(20)).until(() -> lockWaits() == 1);
      assertThat(raise).isNotDone();

      finish.countDown();

      write.get(30, TimeUnit.SECONDS);
      assertThat(raise.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(deliveryStatus(message, "g")).as("written before the raise").isEqualTo("PENDING");
      assertThat(current.current()).isGreaterThan(former.current());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> former.inTransaction(() -> delivery.markFannedOut(message, 1)))
          .isInstanceOf(LeaderEpoch.FencedException.class);
      assertThat(fannedOut(message)).isZero();
    } finally {
      finish.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void aRelayTheLatchNeverGranted_doesNothing() throws Exception {
    String topic = topic();
    registry.register(topic, "g", TagExpression.parse("*"));
    List<String> received = recordingConsumer("g");
    long message = readyMessage(topic, "OPS", "k-1");
    LeaderEpoch standby =
        new LeaderEpoch("test", "relay-standby", delivery, transactions); // never granted()

    assertThat(relay(standby, Duration.ZERO, GlobalStatus.Begin).pass()).isFalse();
    assertThat(relay(standby, Duration.ZERO, GlobalStatus.Begin).cycle()).isZero();

    assertThat(fannedOut(message)).isZero();
    assertThat(received).isEmpty();
  }

  /** The consumers the test registered, by group; a group without one has no provider. */
  private Function<String, EventConsumer> consumerOfGroup() {
    return group -> {
      EventConsumer consumer = consumers.get(group);
      if (consumer == null) {
        throw new IllegalStateException("No provider available for group " + group);
      }
      return consumer;
    };
  }

  /** A leader epoch of outbox {@code test} for {@code holder}, granted by its latch. */
  private static LeaderEpoch epoch(String holder) {
    LeaderEpoch epoch = new LeaderEpoch("test", holder, delivery, transactions);
    epoch.granted();
    return epoch;
  }

  private static double fencedCount() {
    io.micrometer.core.instrument.Counter counter =
        io.micrometer.core.instrument.Metrics.globalRegistry
            .find("txc.relay.fenced")
            .tag("outbox", "test")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private OutboxRelay relay(LeaderEpoch epoch, Duration immunity, GlobalStatus tc) {
    return new OutboxRelay(
        "test",
        delivery,
        mapper,
        registry,
        consumerOfGroup(),
        xid -> tc,
        (topic, key, xid) -> OutboxCheck.CheckOutcome.UNKNOWN,
        LADDER,
        immunity,
        Duration.ofSeconds(2),
        deliveryThreads,
        OutboxRelay.DEFAULT_LANES,
        new Alerts(""),
        epoch);
  }

  private OutboxRelay relay(Duration immunity, Duration groupBudget, GlobalStatus tc) {
    return relay(dataSource, immunity, groupBudget, tc);
  }

  private OutboxRelay relay(
      HikariDataSource on, Duration immunity, Duration groupBudget, GlobalStatus tc) {
    return new OutboxRelay(
        "test",
        on == dataSource ? delivery : deliveryOn(on),
        on == dataSource ? mapper : mapperOn(on),
        on == dataSource
            ? transactions
            : new TransactionTemplate(new DataSourceTransactionManager(on)),
        registry,
        consumerOfGroup(),
        xid -> tc,
        (topic, key, xid) -> OutboxCheck.CheckOutcome.UNKNOWN,
        LADDER,
        immunity,
        groupBudget,
        deliveryThreads,
        new Alerts(""));
  }

  /**
   * The relay's loop as RelayMain runs it ({@link RelayLoop}), leading while {@code running}, with
   * an idle poll of 20 ms; stopped by an interrupt.
   */
  private static Thread relayLoop(OutboxRelay relay, AtomicBoolean running) {
    Thread loop =
        new Thread(new RelayLoop(relay, running::get, new PollPacer(5, 20)), "relay-loop");
    loop.start();
    return loop;
  }

  /**
   * A relay on the test schema whose delivery store records when each of its statements is called
   * (System.nanoTime, by method name), in {@code calls}.
   */
  private OutboxRelay countedRelay(Map<String, List<Long>> calls, Duration groupBudget) {
    OutboxDeliveryMapper counted =
        (OutboxDeliveryMapper)
            java.lang.reflect.Proxy.newProxyInstance(
                OutboxDeliveryMapper.class.getClassLoader(),
                new Class<?>[] {OutboxDeliveryMapper.class},
                (proxy, method, args) -> {
                  calls
                      .computeIfAbsent(
                          method.getName(),
                          k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                      .add(System.nanoTime());
                  try {
                    return method.invoke(delivery, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new OutboxRelay(
        "test",
        counted,
        mapper,
        transactions,
        registry,
        consumerOfGroup(),
        xid -> GlobalStatus.Begin,
        (topic, key, xid) -> OutboxCheck.CheckOutcome.UNKNOWN,
        LADDER,
        Duration.ofSeconds(60),
        groupBudget,
        deliveryThreads,
        new Alerts(""));
  }

  private static long calls(Map<String, List<Long>> calls, String method) {
    List<Long> times = calls.get(method);
    return times == null ? 0 : times.size();
  }

  private List<String> recordingConsumer(String group) {
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    consumers.put(group, (EventMessage message) -> received.add(message.messageId()));
    return received;
  }

  private static HikariDataSource sessionInZone(String zone) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestDatabase.get().url(schema));
    config.setUsername(TestDatabase.get().user());
    config.setPassword(TestDatabase.get().password());
    config.setMaximumPoolSize(2);
    config.setConnectionInitSql("SET time_zone = '" + zone + "'");
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED"); // as Database.open
    return new HikariDataSource(config);
  }

  private static OutboxMapper mapperOn(HikariDataSource dataSource) {
    return MyBatisStore.open(dataSource, "mapper/OutboxMapper.xml").getMapper(OutboxMapper.class);
  }

  private static OutboxDeliveryMapper deliveryOn(HikariDataSource dataSource) {
    return MyBatisStore.open(dataSource, "mapper/OutboxDeliveryMapper.xml")
        .getMapper(OutboxDeliveryMapper.class);
  }

  /** A Try written through {@code writer} (its session's time zone): PREPARED rows, fence tried. */
  private static BusinessActionContext preparedVia(HikariDataSource writer, String key) {
    BusinessActionContext branch = FenceHarness.newBranch();
    new OutboxAppendTcc(mapperOn(writer))
        .tryAppend(
            branch, List.of(new OutboxMessage(topic(), List.of("OPS"), key, "{}", Map.of())));
    jdbc.update(
        "INSERT INTO tcc_fence_log (xid, branch_id, action_name, status, gmt_create,"
            + " gmt_modified) VALUES (?, ?, ?, 1, NOW(3), NOW(3))",
        branch.getXid(),
        branch.getBranchId(),
        OutboxAppendAction.NAME);
    return branch;
  }

  private static void append(OutboxAppendTcc action, BusinessActionContext branch, String key) {
    action.tryAppend(
        branch,
        List.of(
            new OutboxMessage("accompaniment", List.of("OPS", "CS"), key, "{}", Map.of()),
            new OutboxMessage("accompaniment", List.of("ORCH"), key, "{}", Map.of())));
  }

  /** A READY message of a made-up committed branch. */
  private static long readyMessage(String topic, String tags, String key) {
    String messageId = UUID.randomUUID().toString();
    BusinessActionContext branch = FenceHarness.newBranch();
    mapper.insertMessage(
        messageId, branch.getXid(), branch.getBranchId(), topic, tags, key, "{}", "{}");
    mapper.settleBranch(branch.getXid(), branch.getBranchId(), OutboxStatus.READY.name(), "TCC");
    return jdbc.queryForObject(
        "SELECT id FROM outbox_message WHERE message_id = ?", Long.class, messageId);
  }

  private static String topic() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A topic whose subscriptions ZooKeeper refuses to read: an ACL granting nobody anything. */
  private static String unreadableTopic() throws Exception {
    String topic = topic();
    zk.create()
        .creatingParentsIfNeeded()
        .withACL(
            List.of(
                new org.apache.zookeeper.data.ACL(0, ZooKeeperCredential.parse(CREDENTIAL).id())))
        .forPath(SubscriptionRegistry.ROOT + "/" + topic);
    return topic;
  }

  private static String messageId(long pk) {
    return jdbc.queryForObject(
        "SELECT message_id FROM outbox_message WHERE id = ?", String.class, pk);
  }

  private static int fannedOut(long pk) {
    return jdbc.queryForObject(
        "SELECT fanned_out FROM outbox_message WHERE id = ?", Integer.class, pk);
  }

  private static String deliveryStatus(long pk, String group) {
    List<String> status =
        jdbc.queryForList(
            "SELECT status FROM outbox_delivery WHERE message_pk = ? AND consumer_group = ?",
            String.class,
            pk,
            group);
    return status.isEmpty() ? null : status.get(0);
  }

  private static int delivered(String group) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM outbox_delivery WHERE consumer_group = ? AND status = 'DELIVERED'",
        Integer.class,
        group);
  }

  /** Deliveries of {@code group} that needed more than one attempt. */
  private static int retried(String group) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM outbox_delivery WHERE consumer_group = ? AND attempts > 1",
        Integer.class,
        group);
  }

  private static List<String> alerts(String alert) {
    return jdbc.queryForList(
        "SELECT subject FROM outbox_alert WHERE alert = ? ORDER BY id", String.class, alert);
  }

  private static long counter(String name) {
    List<Long> value =
        jdbc.queryForList("SELECT value FROM outbox_counter WHERE name = ?", Long.class, name);
    return value.isEmpty() ? 0 : value.get(0);
  }

  private static int prepared(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM outbox_message WHERE xid = ? AND status = 'PREPARED'",
        Integer.class,
        branch.getXid());
  }

  private static boolean isPastImmunity(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) = 0 FROM outbox_message WHERE xid = ? AND created_at >= UTC_TIMESTAMP(3)",
        Boolean.class,
        branch.getXid());
  }

  private static Set<String> statuses(BusinessActionContext branch) {
    return Set.copyOf(
        jdbc.queryForList(
            "SELECT status FROM outbox_message WHERE xid = ?", String.class, branch.getXid()));
  }

  private static int fenceStatus(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
        Integer.class,
        branch.getXid(),
        branch.getBranchId());
  }

  /** Transactions of this schema waiting for a row lock. */
  private static int lockWaits() {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist"
            + " p ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = ?",
        Integer.class,
        schema);
  }
}
