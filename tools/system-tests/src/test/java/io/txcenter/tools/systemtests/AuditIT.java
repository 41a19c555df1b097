package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.account.AccountServiceImpl;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.tcc.AccountCreditTcc;
import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.bench.mall.BenchOrders;
import io.txcenter.bench.points.DirectPoints;
import io.txcenter.bench.portal.DirectQuota;
import io.txcenter.kit.Database;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.SchemaMigrator;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.points.PointsServiceImpl;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditTcc;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.portal.PortalServiceImpl;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeTcc;
import io.txcenter.testkit.FreePorts;
import io.txcenter.testkit.TestDatabase;
import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The audit against a topology's schemas on a real database, with no processes: a clean world of
 * grants, a confirmed and a cancelled order, a paid payment and the bench's two recorded paths
 * audits clean; each blind spot of issue 13, planted into it, is reported.
 */
class AuditIT {

  private static final String A = "ch-a";
  private static final String B = "ch-b";
  private static final long ALICE = 1;
  private static final String MERCHANT = "m-1";

  private static TopologyConfig config;
  private static JdbcTemplate jdbc;
  private long branches = 100;

  /** The topology's schemas, once for the class; each test starts from the clean world. */
  @BeforeAll
  static void createSchemas() {
    TestDatabase db = TestDatabase.get();
    String prefix =
        ("ta" + UUID.randomUUID().toString().substring(0, 6) + "_").toLowerCase(Locale.ROOT);
    // the project's home: the services' invariants come with their process descriptors
    TopologyConfig defaults = TopologyConfig.defaults(TopologySpecsTest.HOME, Path.of("target"));
    config =
        new TopologyConfig(
            defaults.home(),
            defaults.runDir(),
            false,
            db.serverUrl(),
            db.user(),
            db.password(),
            prefix,
            // nothing listens on the console port: the file-store TC counts as holding no sessions
            Map.of("tc.console", FreePorts.next()),
            List.of(A, B),
            true,
            "file",
            "txc-admin",
            "",
            TopologyConfig.ROCKETMQ_LADDER,
            "",
            0,
            false,
            false);
    jdbc = config.serverJdbc();
    Map<String, String[]> sets = new LinkedHashMap<>();
    sets.put(config.schemaOfChannel(A), new String[] {"common", "points"});
    sets.put(config.schemaOfChannel(B), new String[] {"common", "points"});
    TopologyConfig.SUBSCRIBERS
        .keySet()
        .forEach(g -> sets.put(config.schemaOfSubscriber(g), new String[] {"consumer"}));
    sets.put(config.schemaOfSubscriber("accounting"), new String[] {"consumer", "accounting"});
    sets.put(config.schema("portal"), new String[] {"common", "portal"});
    sets.put(config.schema("account"), new String[] {"common", "account"});
    sets.put(config.schema("mall"), new String[] {"common", "mall", "outbox"});
    sets.put(config.schema("monolith"), new String[] {"points", "portal", "mall", "outbox"});
    sets.put(config.schema("payment"), new String[] {"common", "payment", "outbox"});
    sets.put(config.schema("notify"), new String[] {"consumer", "notify"});
    sets.put(config.schema("fund"), new String[] {"common", "fund", "dedupe", "outbox"});
    assertThat(sets.keySet()).containsExactlyInAnyOrderElementsOf(config.schemas());
    sets.forEach(
        (schema, ddl) -> {
          jdbc.execute("CREATE DATABASE " + schema);
          try (var pool = Database.open("audit-it", db.url(schema), db.user(), db.password(), 1)) {
            SchemaMigrator.migrate(pool, ddl);
          }
        });
  }

  @BeforeEach
  void resetToTheCleanWorld() {
    for (String table :
        jdbc.queryForList(
            "SELECT CONCAT(table_schema, '.', table_name) FROM information_schema.tables"
                + " WHERE table_schema LIKE ? AND table_name <> 'schema_version'",
            String.class,
            config.schemaPrefix().replace("_", "\\_") + "%")) {
      jdbc.execute("DELETE FROM " + table);
    }
    cleanWorld();
  }

  @AfterAll
  static void dropSchemas() {
    for (String schema : config.schemas()) {
      jdbc.execute("DROP DATABASE IF EXISTS " + schema);
    }
  }

  @Test
  void cleanWorld_auditsClean() {
    Audit.Result result = audit();

    assertThat(result.violations()).isEmpty();
    assertThat(result.checks()).isGreaterThan(60);
    assertThat(result.line()).isEqualTo("audit: " + result.checks() + " checks, 0 violations");
  }

  @Test
  void pointsCreditedByATransactionNoPaymentStarted_isAViolation() {
    update(
        ch(A)
            + ".points_credit (xid, branch_id, channel_id, biz_no, user_id, points, status)"
            + " VALUES ('127.0.0.1:8091:666', 1, ?, 'P-ghost', ?, 70, 'CONFIRMED')",
        A,
        ALICE);
    jdbc.update(
        "UPDATE "
            + ch(A)
            + ".user_points SET available = available + 70, credited = credited + 70"
            + " WHERE user_id = ?",
        ALICE);

    assertViolation("points credited with no PAID payment", "P-ghost");
  }

  @Test
  void pointsAwardedUnderAnotherTransactionThanThePayments_isAViolation() {
    jdbc.update("UPDATE " + ch(A) + ".points_credit SET xid = '127.0.0.1:8091:667'");

    assertViolation("points credited with no PAID payment", "P-1 xid 127.0.0.1:8091:667");
  }

  @Test
  void moneyCreditedByATransactionNoPaymentStarted_isAViolation() {
    update(
        schema("account")
            + ".account_credit (xid, branch_id, account_id, biz_no, amount, status)"
            + " VALUES ('127.0.0.1:8091:668', 1, ?, 'P-ghost', 900, 'CONFIRMED')",
        MERCHANT);
    jdbc.update(
        "UPDATE " + schema("account") + ".account SET balance = balance + 900 WHERE account_id = ?",
        MERCHANT);

    assertViolation("money credited with no PAID payment", "P-ghost");
  }

  @Test
  void fundCashChangedWithNoPurchase_breaksConservation() {
    jdbc.update(
        "UPDATE " + schema("fund") + ".investor SET cash = 1500 WHERE investor_id = 'inv-1'");

    assertViolation("fund investor inv-1: cash 1500 + frozen 0 + holdings 0 <> opening 1000");
  }

  @Test
  void aConfirmedFundPurchaseWithNoSecondaryAndNoDeadLetter_isAViolation() {
    fundPurchase("fp-1", "CONFIRMED", "PENDING", 0);

    assertViolation("fund: purchase fp-1 CONFIRMED but secondary PENDING and no open dead letter");
  }

  @Test
  void aSecondaryForACancelledFundPurchase_isAViolation() {
    fundPurchase("fp-2", "CANCELLED", "DONE", 8);

    assertViolation("fund: purchase fp-2 is CANCELLED but has secondary DONE (8 target units)");
  }

  private void fundPurchase(String purchaseNo, String status, String secondary, long units) {
    update(
        schema("fund")
            + ".fund_purchase (purchase_no, xid, branch_id, investor_id, target_fund, amount,"
            + " status, secondary, target_units) VALUES (?, ?, 1, 'inv-1', 'FUND-A', 1000, ?, ?, ?)",
        purchaseNo,
        "127.0.0.1:8091:" + purchaseNo.hashCode(),
        status,
        secondary,
        units);
  }

  @Test
  void accountOpenedWithNoRecordedAction_isAViolation() {
    update(schema("account") + ".account VALUES ('m-ghost', 1000000, 0, 1000000, NOW(3))");

    assertViolation("account m-ghost: opening_balance=1000000 but 0 recorded openings");
  }

  @Test
  void pointsGrantedWithNoRecordedAction_isAViolation() {
    jdbc.update(
        "UPDATE "
            + ch(B)
            + ".user_points SET available = available + 5000, granted = granted + 5000"
            + " WHERE user_id = ?",
        ALICE);

    assertViolation("channel ch-b user 1: granted=8000 but recorded grants=3000");
  }

  @Test
  void quotaGrantedWithNoRecordedAction_isAViolation() {
    jdbc.update(
        "UPDATE "
            + schema("portal")
            + ".channel_quota SET available = available + 1, granted = granted + 1"
            + " WHERE channel_id = ?",
        A);

    assertViolation("quota of channel ch-a: granted=10001 but recorded grants=10000");
  }

  @Test
  void grantRecordedWithNoEffect_isAViolation() {
    update(
        ch(A)
            + ".points_grant (channel_id, user_id, points, operator, reason) VALUES (?, 42, 9,"
            + " 'operator', 'nobody got it')",
        A);

    assertViolation("points granted to users with no points account", "42");
  }

  @Test
  void benchPlainOrderWithNoRecord_isAViolation() {
    jdbc.update("DELETE FROM " + schema("mall") + ".bench_order WHERE path = 'PLAIN'");

    assertViolation("orders placed outside a global transaction with no record", "O-plain");
  }

  @Test
  void benchAtOrderWithNoRecord_isAViolation() {
    jdbc.update("DELETE FROM " + schema("mall") + ".bench_order WHERE path = 'AT'");

    assertViolation("orders placed outside a global transaction with no record", "O-at");
  }

  @Test
  void benchBranchesWithNoRecord_isAViolation() {
    jdbc.update("DELETE FROM " + schema("mall") + ".bench_order WHERE path = 'BRANCHES'");

    assertViolation("points spent with no confirmed order of that transaction", "B-1-b0");
  }

  @Test
  void spendUnderAnotherTransactionThanTheOrders_isAViolation() {
    jdbc.update(
        "UPDATE " + ch(B) + ".points_freeze SET xid = '127.0.0.1:8091:669' WHERE order_no = 'O-1'");

    assertViolation("points spent with no confirmed order of that transaction", "O-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"mall", "points_ch_a", "points_ch_b", "portal", "account", "payment", "fund"})
  void fenceRowLeftTried_isAViolationInEverySchema(String service) {
    String schema = config.schemaPrefix() + service;
    update(
        schema
            + ".tcc_fence_log VALUES ('127.0.0.1:8091:670', 7, 'someAction', 1, NOW(3), NOW(3))");

    Audit.Result result = audit();

    assertThat(result.violations()).contains(schema + ": 1 fence rows left tried or parked");
  }

  @Test
  void aParkedFenceRow_isNotSettled_soItIsAViolation() {
    String schema = config.schemaPrefix() + "points_ch_a";
    update(
        schema
            + ".tcc_fence_log VALUES ('127.0.0.1:8091:671', 8, 'someAction', 9, NOW(3), NOW(3))");

    Audit.Result result = audit();

    assertThat(result.violations()).contains(schema + ": 1 fence rows left tried or parked");
  }

  @Test
  void schemaWithoutFenceTable_isAViolation() {
    String fence = schema("portal") + ".tcc_fence_log";
    jdbc.execute("RENAME TABLE " + fence + " TO " + fence + "_gone");
    try {
      assertViolation(schema("portal") + ": no tcc_fence_log to audit");
    } finally {
      jdbc.execute("RENAME TABLE " + fence + "_gone TO " + fence);
    }
  }

  @Test
  void committedOrderWithoutItsReadyEvent_isAViolation() {
    jdbc.update(
        "UPDATE "
            + schema("mall")
            + ".outbox_message SET status = 'DISCARDED' WHERE business_key = 'O-1' AND tags = 'ORCH'");
    jdbc.update("DELETE FROM " + schema("mall") + ".outbox_delivery");

    assertViolation("order O-1 (CONFIRMED): expected its ORDER_PLACED and POINTS_SPENT events");
  }

  @Test
  void rolledBackOrderWithADeliveredEvent_isAViolation() {
    update(
        schema("mall")
            + ".outbox_delivery (message_pk, consumer_group, business_key, status,"
            + " next_attempt_at) SELECT id, 'orch', business_key, 'DELIVERED', NOW(3) FROM "
            + schema("mall")
            + ".outbox_message WHERE business_key = 'O-2' AND tags = 'ORCH'");

    assertViolation("messages fanned out or delivered that are not READY", "O-2 DISCARDED");
  }

  @Test
  void rolledBackOrderWithAReadyEvent_isAViolation() {
    jdbc.update(
        "UPDATE "
            + schema("mall")
            + ".outbox_message SET status = 'READY' WHERE business_key = 'O-2' AND tags = 'ORCH'");

    assertViolation("order O-2 (CANCELLED): has 1 READY events");
  }

  @Test
  void readyPaymentEventOfNoCompletedPayment_isAViolation() {
    jdbc.update(
        "UPDATE "
            + schema("payment")
            + ".payment_order SET status = 'CREATED', xid = NULL,"
            + " target_status = NULL WHERE payment_no = 'P-2'");

    assertViolation("READY events with no completed payment of that transaction", "P-2");
  }

  @Test
  void aLaterEventOfAKeyDeliveredBeforeAnEarlierOne_toOneGroup_isAViolation() {
    List<String> ids = orderEventIds("O-1");
    deliveredAt("O-1", "compliance", "2026-01-01 10:00:00.002", "2026-01-01 10:00:00.001");

    assertViolation(
        schema("mall") + ": group compliance key O-1: message " + ids.get(1),
        "delivered at 2026-01-01 10:00:00.001 before earlier message " + ids.get(0),
        "delivered at 2026-01-01 10:00:00.002");
  }

  @Test
  void aKeysEventsDeliveredInTheSameMillisecond_orInOrder_auditClean() {
    deliveredAt("O-1", "compliance", "2026-01-01 10:00:00.005", "2026-01-01 10:00:00.005");
    deliveredAt("O-1", "datacenter", "2026-01-01 10:00:00.001", "2026-01-01 10:00:00.009");

    assertThat(audit().violations()).isEmpty();
  }

  @Test
  void anEarlierEventReDrivenFromTheDeadLetters_afterALaterOne_auditClean() {
    List<String> ids = orderEventIds("O-1");
    deliveredAt("O-1", "compliance", "2026-01-01 10:00:00.009", "2026-01-01 10:00:00.001");
    update(
        schema("mall")
            + ".outbox_dead_letter (message_pk, consumer_group, attempts, redriven_at)"
            + " SELECT id, 'compliance', 17, NOW(3) FROM "
            + schema("mall")
            + ".outbox_message WHERE message_id = ?",
        ids.get(0));

    assertThat(audit().violations()).isEmpty();
  }

  /** The message ids of an order's two events, in message order. */
  private List<String> orderEventIds(String orderNo) {
    return jdbc.queryForList(
        "SELECT message_id FROM "
            + schema("mall")
            + ".outbox_message WHERE business_key = ? ORDER BY id",
        String.class,
        orderNo);
  }

  @Test
  void anEarlierEventOfAnotherBranch_fannedOutAfterALaterOne_andDeliveredAfterIt_auditClean() {
    otherBranchForFirstEvent("O-1");
    deliveryTimes(
        "created_at", "O-1", "compliance", "2026-01-01 10:00:00.020", "2026-01-01 10:00:00.010");
    deliveredAt("O-1", "compliance", "2026-01-01 10:00:00.029", "2026-01-01 10:00:00.011");

    assertThat(audit().violations()).isEmpty();
  }

  @Test
  void anEarlierEventOfAnotherBranch_fannedOutBeforeALaterOne_butDeliveredAfterIt_isAViolation() {
    List<String> ids = orderEventIds("O-1");
    otherBranchForFirstEvent("O-1");
    deliveryTimes(
        "created_at", "O-1", "compliance", "2026-01-01 10:00:00.010", "2026-01-01 10:00:00.020");
    deliveredAt("O-1", "compliance", "2026-01-01 10:00:00.029", "2026-01-01 10:00:00.021");

    assertViolation(
        schema("mall") + ": group compliance key O-1: message " + ids.get(1),
        "before earlier message " + ids.get(0));
  }

  /** Moves the key's first event to a branch of its own, as if another transaction wrote it. */
  private void otherBranchForFirstEvent(String key) {
    String mall = schema("mall");
    int changed =
        jdbc.update(
            "UPDATE "
                + mall
                + ".outbox_message m JOIN (SELECT MIN(id) AS id FROM "
                + mall
                + ".outbox_message WHERE business_key = ?) f ON f.id = m.id"
                + " SET m.branch_id = m.branch_id + 1000000",
            key);
    assertThat(changed).isEqualTo(1);
  }

  /** Sets when {@code group} got the key's first and second event (in message order). */
  private void deliveredAt(String key, String group, String first, String second) {
    deliveryTimes("delivered_at", key, group, first, second);
  }

  /**
   * Sets {@code column} of {@code group}'s deliveries of the key's first and second event (in
   * message order).
   */
  private void deliveryTimes(String column, String key, String group, String first, String second) {
    String mall = schema("mall");
    long firstPk =
        jdbc.queryForObject(
            "SELECT MIN(id) FROM " + mall + ".outbox_message WHERE business_key = ?",
            Long.class,
            key);
    int changed =
        jdbc.update(
            "UPDATE "
                + mall
                + ".outbox_delivery SET "
                + column
                + " = IF(message_pk = ?, ?, ?)"
                + " WHERE business_key = ? AND consumer_group = ?",
            firstPk,
            first,
            second,
            key,
            group);
    assertThat(changed).as("deliveries of %s to %s", key, group).isEqualTo(2);
  }

  /**
   * Each effect missing, or in excess, against its cause: the services' invariants (their
   * META-INF/txc/audit/*.properties, one query each) find it. {@code {s}} is the schema prefix.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "DELETE FROM {s}points_ch_a.points_freeze WHERE order_no = 'O-1'"
            + "| order O-1 channel ch-a: confirmed order expects one spend of 100, found []",
        "INSERT INTO {s}points_ch_a.points_freeze (xid, branch_id, channel_id, order_no, user_id,"
            + " points, status) VALUES ('127.0.0.1:8091:1002', 77, 'ch-a', 'O-2', 1, 10, 'CONFIRMED')"
            + "| order O-2 channel ch-a: CANCELLED order has spends [10]",
        "DELETE FROM {s}portal.quota_freeze WHERE order_no = 'O-1' AND channel_id = 'ch-b'"
            + "| order O-1 channel ch-b: confirmed order expects one quota use of 50, found []",
        "UPDATE {s}mall.order_line SET channel_id = 'ch-z' WHERE order_no = 'O-1'"
            + " AND channel_id = 'ch-b'"
            + "| order O-1 channel ch-z: confirmed order expects one spend of 50, found []",
        "DELETE FROM {s}points_ch_a.points_freeze WHERE order_no = 'B-1-b1'"
            + "| channel ch-a: bench transactions confirmed only some of their freezes: B-1 1/2",
        "UPDATE {s}mall.mall_order SET status = 'TRYING' WHERE order_no = 'O-2'"
            + "| orders still TRYING after quiescence: O-2",
        "UPDATE {s}points_ch_a.user_points SET available = available - 5, frozen = 5"
            + "| channel ch-a user 1: 5 points still frozen after quiescence",
        "UPDATE {s}portal.channel_quota SET available = available - 5, used = used + 5"
            + " WHERE channel_id = 'ch-b'"
            + "| quota of channel ch-b: used=59 but confirmed freezes=54",
        "DELETE FROM {s}account.account_credit WHERE biz_no = 'P-1'"
            + "| payment P-1 (PAID): merchant credits [], expected [5000]",
        "DELETE FROM {s}points_ch_a.points_credit WHERE biz_no = 'P-1'"
            + "| payment P-1 (PAID): points awards [], expected [50]",
        "UPDATE {s}payment.payment_order SET channel_id = 'ch-z' WHERE payment_no = 'P-1'"
            + "| payment P-1 (PAID): points awards [], expected [50] (no points process",
        "DELETE FROM {s}sub_accounting.voucher_line WHERE line_no = 2"
            + "| payment P-1 (PAID): voucher {vouchers=1, total=5000, debit=5000}, expected one",
        "DELETE FROM {s}notify.merchant_notify WHERE payment_no = 'P-2'"
            + "| payment P-2 (FAILED): expected one settled merchant notification of FAILED, found []",
        "UPDATE {s}payment.outbox_message SET status = 'DISCARDED' WHERE business_key = 'P-1'"
            + " AND topic = 'accounting'"
            + "| payment P-1 (PAID): READY events of its transaction [merchant-notify:PAID], expected"
      })
  void effectMissingOrInExcess_isAViolation(String planted, String phrase) {
    jdbc.update(planted.replace("{s}", config.schemaPrefix()));

    assertViolation(phrase);
  }

  /**
   * The services' own code, in-process on the same schemas: grants and an opening through the
   * services (which record them), and an order through the bench's non-atomic plain path (which
   * records it): the audit explains every change.
   */
  @Test
  void grantsOpeningAndPlainBenchOrder_throughTheServicesCode_auditClean() {
    TestDatabase db = TestDatabase.get();
    List<HikariDataSource> pools = new java.util.ArrayList<>();
    java.util.function.Function<String, HikariDataSource> pool =
        schema -> {
          HikariDataSource ds =
              Database.open("audit-it", db.url(schema), db.user(), db.password(), 2);
          pools.add(ds);
          return ds;
        };
    try {
      Map<String, PointsServiceImpl> points = new LinkedHashMap<>();
      Map<String, DirectPointsService> directPoints = new LinkedHashMap<>();
      for (String channel : List.of(A, B)) {
        HikariDataSource ds = pool.apply(ch(channel));
        PointsMapper mapper =
            MyBatisStore.open(ds, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
        points.put(
            channel,
            new PointsServiceImpl(
                channel,
                new PointsFreezeTcc(mapper),
                new PointsCreditTcc(mapper),
                mapper,
                new DataSourceTransactionManager(ds)));
        directPoints.put(
            channel,
            new DirectPoints(
                channel, points.get(channel), mapper, new DataSourceTransactionManager(ds)));
      }
      HikariDataSource portalDs = pool.apply(schema("portal"));
      QuotaMapper quotas =
          MyBatisStore.open(portalDs, "mapper/QuotaMapper.xml").getMapper(QuotaMapper.class);
      PortalServiceImpl portal =
          new PortalServiceImpl(
              new QuotaFreezeTcc(quotas), quotas, new DataSourceTransactionManager(portalDs));
      HikariDataSource accountDs = pool.apply(schema("account"));
      AccountMapper accounts =
          MyBatisStore.open(accountDs, "mapper/AccountMapper.xml").getMapper(AccountMapper.class);
      AccountServiceImpl account =
          new AccountServiceImpl(
              new AccountCreditTcc(accounts),
              accounts,
              new DataSourceTransactionManager(accountDs));
      HikariDataSource mallDs = pool.apply(schema("mall"));
      var mallSql = MyBatisStore.open(mallDs, "mapper/OrderMapper.xml", "mapper/OutboxMapper.xml");
      BenchOrders bench =
          new BenchOrders(
              mallSql.getMapper(OrderMapper.class),
              mallSql.getMapper(OutboxMapper.class),
              mallDs,
              new DataSourceTransactionManager(mallDs),
              directPoints::get,
              new DirectQuota(quotas, new DataSourceTransactionManager(portalDs)),
              channel -> {
                throw new IllegalStateException("no global transactions here");
              },
              pool.apply(schema("monolith")),
              1_000);
      long bob = 2;

      points.get(A).grant(A, bob, 300, "audit test seed");
      points.get(B).grant(B, bob, 200, "audit test seed");
      portal.grant(A, 50, "audit test top-up");
      account.open("m-2", 1_000, "audit test merchant");
      bench.placePlain(
          new PlaceOrderRequest(
              "O-bench-1", bob, List.of(new OrderLine(A, 7), new OrderLine(B, 3))));
      // the plain path's events are READY but not yet fanned out: the relay's work, done here
      jdbc.update(
          "UPDATE " + schema("mall") + ".outbox_message SET fanned_out = 1 WHERE business_key = ?",
          "O-bench-1");
      for (Map<String, Object> m :
          jdbc.queryForList(
              "SELECT id, message_id, tags FROM "
                  + schema("mall")
                  + ".outbox_message WHERE business_key = 'O-bench-1'")) {
        List<String> groups =
            "ORCH".equals(m.get("tags"))
                ? List.of("orch", "compliance", "datacenter")
                : List.of("ops", "cs", "compliance", "datacenter");
        for (String g : groups) {
          update(
              schema("mall")
                  + ".outbox_delivery (message_pk, consumer_group, business_key, status,"
                  + " next_attempt_at) VALUES (?, ?, 'O-bench-1', 'DELIVERED', NOW(3))",
              m.get("id"),
              g);
          update(
              config.schemaOfSubscriber(g)
                  + ".consumed_message (consumer_group, message_id)"
                  + " VALUES (?, ?)",
              g,
              m.get("message_id"));
        }
      }

      Audit.Result result = audit();

      assertThat(result.violations()).isEmpty();
      assertThat(
              jdbc.queryForObject(
                  "SELECT operator FROM "
                      + schema("account")
                      + ".account_opening WHERE account_id = 'm-2'",
                  String.class))
          .isEqualTo("local");
      jdbc.update("DELETE FROM " + schema("mall") + ".bench_order WHERE order_no = 'O-bench-1'");
      assertThat(audit().violations())
          .anySatisfy(
              v -> assertThat(v).contains("no record of the bench's plain path", "O-bench-1"));
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  // ---------------------------------------------------------------- the world and its helpers

  private Audit.Result audit() {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Audit.Result result =
        new Audit(config).run(Duration.ZERO, new PrintStream(text, true, StandardCharsets.UTF_8));
    System.out.print(text.toString(StandardCharsets.UTF_8));
    return result;
  }

  private void assertViolation(String... parts) {
    Audit.Result result = audit();
    assertThat(result.violations())
        .as("violations reported")
        .anySatisfy(v -> assertThat(v).contains(parts));
  }

  private String ch(String channel) {
    return config.schemaOfChannel(channel);
  }

  private String schema(String service) {
    return config.schema(service);
  }

  private void update(String intoRest, Object... args) {
    jdbc.update("INSERT INTO " + intoRest, args);
  }

  /**
   * What the services leave after: grants of points (Alice 5000 in ch-a, 3000 in ch-b) and quota
   * (10000 each), order O-1 confirmed (100 from ch-a, 50 from ch-b) with its events delivered,
   * order O-2 cancelled (its events discarded), merchant m-1 opened with 0, payment P-1 PAID (5000
   * cents, 50 points to Alice in ch-a) with voucher and notification, payment P-2 FAILED, the
   * bench's plain order O-plain (ch-a 10), its AT order O-at (ch-b 4) and a two-branch bench
   * transaction B-1.
   */
  private void cleanWorld() {
    // the fund's seeded funds (the reset deletes every row) and an investor with cash only
    update(
        schema("fund")
            + ".fund (fund_code, kind, nav_cents, on_sale, is_open) VALUES"
            + " ('MMF-WALLET', 'WALLET', 1, 1, 1), ('FUND-A', 'TARGET', 123, 1, 1)");
    update(
        schema("fund")
            + ".investor (investor_id, cash, opening_cash) VALUES ('inv-1', 1000, 1000)");
    update(
        schema("fund")
            + ".investor_opening (investor_id, opening_cash, operator, reason)"
            + " VALUES ('inv-1', 1000, 'operator', 'seed')");
    for (String channel : List.of(A, B)) {
      long points = channel.equals(A) ? 5000 : 3000;
      update(
          ch(channel)
              + ".user_points (channel_id, user_id, available, granted) VALUES (?, ?, ?, ?)",
          channel,
          ALICE,
          points,
          points);
      update(
          ch(channel)
              + ".points_grant (channel_id, user_id, points, operator, reason)"
              + " VALUES (?, ?, ?, 'operator', 'demo seed')",
          channel,
          ALICE,
          points);
      update(
          schema("portal")
              + ".channel_quota (channel_id, granted, available) VALUES (?, 10000, 10000)",
          channel);
      update(
          schema("portal")
              + ".quota_grant (channel_id, amount, operator, reason)"
              + " VALUES (?, 10000, 'operator', 'demo seed')",
          channel);
    }
    String x1 = "127.0.0.1:8091:1001";
    order("O-1", x1, "CONFIRMED", Map.of(A, 100L, B, 50L));
    spend("O-1", x1, A, 100, x1);
    spend("O-1", x1, B, 50, x1);
    events("O-1", x1, "READY");
    order("O-2", "127.0.0.1:8091:1002", "CANCELLED", Map.of(A, 10L));
    events("O-2", "127.0.0.1:8091:1002", "DISCARDED");
    String plain = "direct:O-plain";
    order("O-plain", plain, "CONFIRMED", Map.of(A, 10L));
    update(
        schema("mall")
            + ".bench_order (order_no, path, xid, operator) VALUES ('O-plain', 'PLAIN', ?, 'operator')",
        plain);
    spend("O-plain", plain, A, 10, "direct:ch-a:O-plain");
    events("O-plain", plain, "READY");
    // the bench's AT arm: the plain path's rows and keys, recorded as AT
    String at = "direct:O-at";
    order("O-at", at, "CONFIRMED", Map.of(B, 4L));
    update(
        schema("mall")
            + ".bench_order (order_no, path, xid, operator) VALUES ('O-at', 'AT', ?, 'operator')",
        at);
    spend("O-at", at, B, 4, "direct:ch-b:O-at");
    events("O-at", at, "READY");
    String xb = "127.0.0.1:8091:1003";
    update(
        schema("mall")
            + ".bench_order (order_no, path, xid, branches, operator)"
            + " VALUES ('B-1', 'BRANCHES', ?, 2, 'operator')",
        xb);
    for (int i = 0; i < 2; i++) {
      freeze(A, "B-1-b" + i, xb, 10 + i, 1);
    }
    update(
        schema("account")
            + ".account (account_id, balance, pending_credit, opening_balance) VALUES (?, 0, 0, 0)",
        MERCHANT);
    update(
        schema("account")
            + ".account_opening (account_id, opening_balance, operator, reason)"
            + " VALUES (?, 0, 'operator', 'payment demo merchant')",
        MERCHANT);
    payment("P-1", "127.0.0.1:8091:1004", "PAID", 5000, 50);
    payment("P-2", "127.0.0.1:8091:1005", "FAILED", 700, 0);
    fenceRow(ch(A), x1, 11, 2);
    fenceRow(schema("portal"), x1, 21, 2);
    fenceRow(schema("mall"), x1, 1, 2);
    fenceRow(schema("mall"), "127.0.0.1:8091:1002", 1, 3);
  }

  private void order(String orderNo, String xid, String status, Map<String, Long> lines) {
    update(
        schema("mall")
            + ".mall_order (order_no, user_id, total_points, status, xid) VALUES (?, ?, ?, ?, ?)",
        orderNo,
        ALICE,
        lines.values().stream().mapToLong(Long::longValue).sum(),
        status,
        xid);
    lines.forEach(
        (channel, points) ->
            update(schema("mall") + ".order_line VALUES (?, ?, ?)", orderNo, channel, points));
  }

  /** A confirmed spend of an order line: the freeze, the quota use and the balances. */
  private void spend(String orderNo, String xid, String channel, long points, String quotaXid) {
    freeze(channel, orderNo, xid, ++branches, points);
    update(
        schema("portal")
            + ".quota_freeze (xid, branch_id, channel_id, order_no, amount, status)"
            + " VALUES (?, ?, ?, ?, ?, 'CONFIRMED')",
        quotaXid,
        ++branches,
        channel,
        orderNo,
        points);
    jdbc.update(
        "UPDATE "
            + schema("portal")
            + ".channel_quota SET available = available - ?, used = used + ? WHERE channel_id = ?",
        points,
        points,
        channel);
  }

  private void freeze(String channel, String orderNo, String xid, long branch, long points) {
    update(
        ch(channel)
            + ".points_freeze (xid, branch_id, channel_id, order_no, user_id, points, status)"
            + " VALUES (?, ?, ?, ?, ?, ?, 'CONFIRMED')",
        xid,
        branch,
        channel,
        orderNo,
        ALICE,
        points);
    jdbc.update(
        "UPDATE "
            + ch(channel)
            + ".user_points SET available = available - ?, spent = spent + ? WHERE user_id = ?",
        points,
        points,
        ALICE);
  }

  /**
   * The order's two events; READY ones fanned out, delivered and applied by each matching group.
   */
  private void events(String orderNo, String xid, String status) {
    Map<String, List<String>> byTags =
        Map.of(
            "OPS,CS", List.of("ops", "cs", "compliance", "datacenter"),
            "ORCH", List.of("orch", "compliance", "datacenter"));
    byTags.forEach(
        (tags, groups) ->
            message(
                schema("mall"),
                "accompaniment",
                tags,
                orderNo,
                xid,
                status,
                groups.stream().map(g -> List.of(g, config.schemaOfSubscriber(g))).toList()));
  }

  private void message(
      String outbox,
      String topic,
      String tags,
      String key,
      String xid,
      String status,
      List<List<String>> groupsAndSchemas) {
    String id = UUID.randomUUID().toString();
    boolean ready = "READY".equals(status);
    update(
        outbox
            + ".outbox_message (message_id, xid, branch_id, topic, tags, business_key, payload,"
            + " headers, status, fanned_out) VALUES (?, ?, 1, ?, ?, ?, '{}', '{}', ?, ?)",
        id,
        xid,
        topic,
        tags,
        key,
        status,
        ready ? 1 : 0);
    long pk =
        jdbc.queryForObject(
            "SELECT id FROM " + outbox + ".outbox_message WHERE message_id = ?", Long.class, id);
    for (List<String> group : ready ? groupsAndSchemas : List.<List<String>>of()) {
      update(
          outbox
              + ".outbox_delivery (message_pk, consumer_group, business_key, status,"
              + " next_attempt_at, delivered_at) VALUES (?, ?, ?, ?, NOW(3), UTC_TIMESTAMP(3))",
          pk,
          group.get(0),
          key,
          "DELIVERED");
      update(
          group.get(1) + ".consumed_message (consumer_group, message_id) VALUES (?, ?)",
          group.get(0),
          id);
    }
  }

  private void payment(String no, String xid, String status, long cents, long award) {
    update(
        schema("payment")
            + ".payment_order (payment_no, merchant_id, user_id, channel_id, amount_cents,"
            + " award_points, status, target_status, xid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        no,
        MERCHANT,
        ALICE,
        A,
        cents,
        award,
        status,
        status,
        xid);
    List<List<String>> notifier = List.of(List.of("notifier", schema("notify")));
    message(schema("payment"), "merchant-notify", status, no, xid, "READY", notifier);
    update(
        schema("notify")
            + ".merchant_notify (message_id, payment_no, merchant_id, payment_status, payload,"
            + " state, next_attempt_at) VALUES (?, ?, ?, ?, '{}', 'ACKED', NOW(3))",
        UUID.randomUUID().toString(),
        no,
        MERCHANT,
        status);
    if (!"PAID".equals(status)) {
      return;
    }
    String accounting = config.schemaOfSubscriber("accounting");
    message(
        schema("payment"),
        "accounting",
        "VOUCHER",
        no,
        xid,
        "READY",
        List.of(List.of("accounting", accounting)));
    update(
        accounting + ".voucher (voucher_no, message_id, payment_no) VALUES (?, 'x', ?)",
        "V-" + no,
        no);
    update(accounting + ".voucher_line VALUES (?, 1, 'bank', ?)", "V-" + no, cents);
    update(accounting + ".voucher_line VALUES (?, 2, 'merchant', ?)", "V-" + no, -cents);
    update(
        schema("account")
            + ".account_credit (xid, branch_id, account_id, biz_no, amount, status)"
            + " VALUES (?, 31, ?, ?, ?, 'CONFIRMED')",
        xid,
        MERCHANT,
        no,
        cents);
    jdbc.update(
        "UPDATE " + schema("account") + ".account SET balance = balance + ? WHERE account_id = ?",
        cents,
        MERCHANT);
    if (award > 0) {
      update(
          ch(A)
              + ".points_credit (xid, branch_id, channel_id, biz_no, user_id, points, status)"
              + " VALUES (?, 41, ?, ?, ?, ?, 'CONFIRMED')",
          xid,
          A,
          no,
          ALICE,
          award);
      jdbc.update(
          "UPDATE "
              + ch(A)
              + ".user_points SET available = available + ?, credited = credited + ?"
              + " WHERE user_id = ?",
          award,
          award,
          ALICE);
    }
  }

  private void fenceRow(String schema, String xid, long branch, int status) {
    update(
        schema + ".tcc_fence_log VALUES (?, ?, 'action', ?, NOW(3), NOW(3))", xid, branch, status);
  }
}
