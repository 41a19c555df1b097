package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.FundException;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.InvestorPosition;
import io.txcenter.fund.api.PurchaseRequest;
import io.txcenter.fund.api.PurchaseResult;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.fund.api.SecondaryStatus;
import io.txcenter.kit.DubboNode;
import io.txcenter.outbox.DeadLetters;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TopologyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The fund's discount purchase over the real topology (issue 15): the main purchase as one global
 * transaction through the TC, its two events through the fund outbox and the relays, the secondary
 * purchase (consumer group {@code fund-secondary}) and the five accompaniment subscribers. The
 * topology's retry ladder is 16 × 150 ms and the customer-service subscriber fails the first two
 * attempts of every message. FUND-A (NAV 123) is shared by the tests; FUND-B (NAV 250) is closed
 * and reopened by one test and used by no other.
 */
@ExtendWith(SharedTopology.class)
class FundPurchaseIT {

  private static final String SECONDARY = "fund-secondary";
  private static final String WALLET = "MMF-WALLET";
  private static final String REASON = "test FundPurchaseIT";
  private static final Duration SETTLE = Duration.ofSeconds(60);

  /** The accompaniment groups: each applies a purchase's FUND_BOUGHT once. */
  private static final List<String> SUBSCRIBERS =
      List.of("ops", "cs", "orch", "compliance", "datacenter");

  private static TopologyConfig config;
  private static Clients clients;
  private static JdbcTemplate jdbc;
  private static String fund;
  private static FundService funds;
  private static DubboNode relay;
  private static DubboNode mall;

  @BeforeAll
  static void useSharedTopology() {
    config = SharedTopology.get().config();
    clients = SharedTopology.get().clients();
    jdbc = config.serverJdbc();
    fund = config.schema("fund");
    funds = clients.reference(FundService.class, null);
    relay = ActAs.identity("relay");
    mall = ActAs.identity("mall");
  }

  /**
   * Before the shared topology stops: a node left running would try to unregister from the stopped
   * ZooKeeper at JVM exit, and hold the fork's exit for its shutdown timeout.
   */
  @AfterAll
  static void stopCallers() {
    relay.stop();
    mall.stop();
  }

  @Test
  void givenCash_aDiscountPurchase_buysTheWalletThenTheTargetOnce_andEveryGroupSeesItOnce() {
    String investor = investorWith(100_000);
    String purchaseNo = key("fp");

    PurchaseResult bought = funds.buy(new PurchaseRequest(purchaseNo, investor, "FUND-A", 10_000));

    assertThat(bought.status()).isEqualTo(PurchaseStatus.CONFIRMED);
    assertThat(bought.secondary()).isIn(SecondaryStatus.PENDING, SecondaryStatus.DONE);
    assertThat(bought.walletUnits()).isEqualTo(10_000);
    assertThat(bought.duplicate()).isFalse();
    PurchaseResult done = awaitDone(purchaseNo);
    // FUND-A's NAV is 123: 81 units cost 9963 wallet units, the 37 of change stay in the wallet
    assertThat(done)
        .isEqualTo(
            new PurchaseResult(
                purchaseNo,
                investor,
                "FUND-A",
                10_000,
                PurchaseStatus.CONFIRMED,
                SecondaryStatus.DONE,
                10_000,
                81,
                9_963,
                0,
                bought.xid(),
                false));
    InvestorPosition position = funds.investor(investor);
    assertThat(position)
        .isEqualTo(
            new InvestorPosition(investor, 90_000, 0, 100_000, Map.of("FUND-A", 81L, WALLET, 37L)));
    assertThat(position.cashCents() + position.frozenCents() + 81 * 123 + 37)
        .as("conservation")
        .isEqualTo(position.openingCents());
    assertThat(outbox(purchaseNo))
        .containsExactly("fund DISCOUNT_PURCHASE READY", "accompaniment OPS,CS,ORCH READY");

    // the customer-service group fails its first two attempts: wait for its third
    Map<String, Long> once = new TreeMap<>(Map.of(SECONDARY, 1L));
    SUBSCRIBERS.forEach(group -> once.put(group, 1L));
    await().atMost(SETTLE).until(() -> appliedBy(purchaseNo).keySet().equals(once.keySet()));
    assertThat(appliedBy(purchaseNo)).isEqualTo(once);
    for (String group : SUBSCRIBERS) {
      assertThat(SharedTopology.eventsApplied(group, purchaseNo))
          .as("group %s", group)
          .containsExactly("FUND_BOUGHT");
    }
    assertThat(deliveries(purchaseNo))
        .containsExactlyInAnyOrder(
            "fund fund-secondary DELIVERED",
            "accompaniment ops DELIVERED",
            "accompaniment cs DELIVERED",
            "accompaniment orch DELIVERED",
            "accompaniment compliance DELIVERED",
            "accompaniment datacenter DELIVERED");
  }

  @Test
  void givenTooLittleCash_theMainPurchaseIsRefusedWithItsCode_andNothingChanges() {
    String investor = investorWith(5_000);
    String purchaseNo = key("fp-poor");

    assertThatThrownBy(() -> funds.buy(new PurchaseRequest(purchaseNo, investor, "FUND-A", 6_000)))
        .isInstanceOfSatisfying(
            FundException.class,
            e -> assertThat(e.code()).isEqualTo(FundErrorCode.INSUFFICIENT_CASH));

    assertNothingBought(purchaseNo, investor, 5_000);
  }

  @Test
  void givenAnyOtherRefusal_theClientGetsTheTypedCode_andNothingChanges() {
    String investor = investorWith(50_000);
    Map<FundErrorCode, PurchaseRequest> refused =
        Map.of(
            FundErrorCode.UNKNOWN_INVESTOR,
            new PurchaseRequest(key("fp-r"), key("nobody"), "FUND-A", 1_000),
            FundErrorCode.UNKNOWN_FUND,
            new PurchaseRequest(key("fp-r"), investor, "FUND-NONE", 1_000),
            FundErrorCode.FUND_NOT_OPEN,
            new PurchaseRequest(key("fp-r"), investor, "FUND-X", 1_000),
            FundErrorCode.INVALID_AMOUNT,
            new PurchaseRequest(key("fp-r"), investor, "FUND-A", 122));

    refused.forEach(
        (code, request) -> {
          assertThatThrownBy(() -> funds.buy(request))
              .as("%s", code)
              .isInstanceOfSatisfying(
                  FundException.class, e -> assertThat(e.code()).isEqualTo(code));
          assertNothingBought(request.purchaseNo(), investor, 50_000);
        });
  }

  @Test
  void givenTheTargetFundClosed_theSecondaryIsRetried_andAfterItReopensIsBoughtOnce() {
    String investor = investorWith(50_000);
    String purchaseNo = key("fp-closed");
    funds.setOpen("FUND-B", false, REASON + " closes FUND-B");
    try {
      PurchaseResult bought =
          funds.buy(new PurchaseRequest(purchaseNo, investor, "FUND-B", 20_000));

      assertThat(List.of(bought.status(), bought.secondary()))
          .containsExactly(PurchaseStatus.CONFIRMED, SecondaryStatus.PENDING);
      await()
          .atMost(SETTLE)
          .until(
              () -> {
                Map<String, Object> d = secondaryDelivery(purchaseNo);
                return d != null
                    && ((Number) d.get("attempts")).intValue() >= 2
                    && String.valueOf(d.get("last_error")).contains("closed");
              });
      assertThat(funds.purchase(purchaseNo).secondary()).isEqualTo(SecondaryStatus.PENDING);
      assertThat(funds.investor(investor).units()).isEqualTo(Map.of(WALLET, 20_000L));
    } finally {
      funds.setOpen("FUND-B", true, REASON + " reopens FUND-B");
    }

    await()
        .atMost(SETTLE)
        .until(
            () ->
                funds.purchase(purchaseNo).secondary() == SecondaryStatus.DONE
                    || "DEAD".equals(secondaryDelivery(purchaseNo).get("status")));
    boolean dead = "DEAD".equals(secondaryDelivery(purchaseNo).get("status"));
    System.out.printf(
        "fund closed then reopened: purchase=%s delivery %s%n",
        purchaseNo, dead ? "ran out of its ladder, re-driven" : "retried on its ladder");
    if (dead) {
      // the ladder (about 2.4 s) ran out while the fund was closed: the operator re-drives it
      DeadLetters dlq =
          new DeadLetters(
              new DriverManagerDataSource(
                  config.jdbcUrl(fund), config.dbUser(), config.dbPassword()));
      List<Map<String, Object>> open =
          dlq.open().stream()
              .filter(
                  r ->
                      purchaseNo.equals(r.get("business_key"))
                          && SECONDARY.equals(r.get("consumer_group")))
              .toList();
      assertThat(open).hasSize(1);
      assertThat((String) open.get(0).get("last_error")).contains("closed");
      assertThat(dlq.redrive(((Number) open.get(0).get("id")).longValue())).isTrue();
    }
    PurchaseResult done = awaitDone(purchaseNo);
    await()
        .atMost(SETTLE)
        .until(() -> "DELIVERED".equals(secondaryDelivery(purchaseNo).get("status")));

    // FUND-B's NAV is 250: 80 units cost the whole 20000, bought once
    assertThat(List.of(done.targetUnits(), done.walletUnitsRedeemed(), done.feeCents()))
        .containsExactly(80L, 20_000L, 0L);
    assertThat(funds.investor(investor))
        .isEqualTo(
            new InvestorPosition(investor, 30_000, 0, 50_000, Map.of("FUND-B", 80L, WALLET, 0L)));
    assertThat(appliedBy(purchaseNo)).containsEntry(SECONDARY, 1L);
    assertThat(
            jdbc.queryForList(
                "SELECT is_open FROM " + fund + ".fund WHERE fund_code = 'FUND-B'", Integer.class))
        .containsExactly(1);
  }

  @Test
  void givenADoneSecondary_theSameMessageAgainOrACopy_changesNothing() {
    String investor = investorWith(20_000);
    String purchaseNo = key("fp-dup");
    funds.buy(new PurchaseRequest(purchaseNo, investor, "FUND-A", 5_000));
    PurchaseResult done = awaitDone(purchaseNo);
    InvestorPosition before = funds.investor(investor);
    assertThat(before.units()).isEqualTo(Map.of("FUND-A", 40L, WALLET, 80L));
    EventMessage again = discountPurchaseMessage(purchaseNo);
    EventMessage copy =
        new EventMessage(
            UUID.randomUUID().toString(),
            again.topic(),
            again.tags(),
            again.businessKey(),
            again.payload(),
            again.headers(),
            again.readyAt(),
            0);

    // delivered as the relay delivers, to the secondary purchase's own consumer group
    EventConsumer secondary = relay.reference(EventConsumer.class, SECONDARY);
    secondary.consume(again);
    secondary.consume(again);
    secondary.consume(copy);

    assertThat(funds.investor(investor)).isEqualTo(before);
    assertThat(funds.purchase(purchaseNo)).isEqualTo(done);
    assertThat(consumed(fund, SECONDARY, again.messageId())).isEqualTo(1);
    // the copy is not READY in any outbox: applied, it would be a stray row for the audit
    assertThat(consumed(fund, SECONDARY, copy.messageId())).isZero();
  }

  @Test
  void givenACallerOtherThanTheOperatorOrTheRelay_itIsForbidden_andNothingChanges() {
    String investor = investorWith(10_000);
    String purchaseNo = key("fp-auth");
    PurchaseRequest request = new PurchaseRequest(purchaseNo, investor, "FUND-A", 1_000);

    assertForbidden(
        () -> mall.reference(FundService.class, null).buy(request), "[mall]", "FundService.buy");
    assertForbidden(
        () -> relay.reference(FundService.class, null).buy(request), "[relay]", "FundService.buy");
    assertNothingBought(purchaseNo, investor, 10_000);

    // the secondary's consumer takes deliveries from the relay only, not from the operator
    String donePurchase = key("fp-auth");
    funds.buy(new PurchaseRequest(donePurchase, investor, "FUND-A", 1_000));
    awaitDone(donePurchase);
    InvestorPosition before = funds.investor(investor);
    EventMessage real = discountPurchaseMessage(donePurchase);
    EventMessage forged =
        new EventMessage(
            UUID.randomUUID().toString(),
            real.topic(),
            real.tags(),
            real.businessKey(),
            real.payload(),
            Map.of("forged", "yes"),
            System.currentTimeMillis(),
            0);
    assertForbidden(
        () -> clients.consumer(SECONDARY).consume(forged), "[operator]", "EventConsumer.consume");
    assertThat(consumed(fund, SECONDARY, forged.messageId())).isZero();
    assertThat(funds.investor(investor)).isEqualTo(before);
  }

  @Test
  void givenThePurchaseNumberAgain_theSameContentAnswersTheFirstOutcome_otherContentIsRefused() {
    String investor = investorWith(50_000);
    String purchaseNo = key("fp-again");
    PurchaseRequest request = new PurchaseRequest(purchaseNo, investor, "FUND-A", 10_000);
    PurchaseResult first = funds.buy(request);
    PurchaseResult done = awaitDone(purchaseNo);
    InvestorPosition before = funds.investor(investor);

    PurchaseResult repeated = funds.buy(request);

    assertThat(repeated.duplicate()).isTrue();
    assertThat(repeated.xid()).isEqualTo(first.xid());
    assertThat(repeated).usingRecursiveComparison().ignoringFields("duplicate").isEqualTo(done);
    assertThatThrownBy(() -> funds.buy(new PurchaseRequest(purchaseNo, investor, "FUND-A", 20_000)))
        .isInstanceOfSatisfying(
            FundException.class,
            e -> assertThat(e.code()).isEqualTo(FundErrorCode.DUPLICATE_PURCHASE));

    assertThat(funds.investor(investor)).isEqualTo(before);
    assertThat(funds.purchase(purchaseNo)).isEqualTo(done);
    assertThat(
            count(
                "SELECT COUNT(*) FROM " + fund + ".fund_purchase WHERE purchase_no = ?",
                purchaseNo))
        .isEqualTo(1);
    assertThat(outbox(purchaseNo)).hasSize(2);
  }

  // ---------------------------------------------------------------- helpers

  private static String key(String prefix) {
    return "it-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  private static String investorWith(long cash) {
    String investor = key("inv");
    funds.openInvestor(investor, cash, REASON);
    return investor;
  }

  private static PurchaseResult awaitDone(String purchaseNo) {
    await()
        .atMost(SETTLE)
        .until(() -> funds.purchase(purchaseNo).secondary() == SecondaryStatus.DONE);
    return funds.purchase(purchaseNo);
  }

  /** No purchase row, no outbox message, the investor's cash as opened and nothing frozen. */
  private static void assertNothingBought(String purchaseNo, String investor, long cash) {
    assertThat(
            count(
                "SELECT COUNT(*) FROM " + fund + ".fund_purchase WHERE purchase_no = ?",
                purchaseNo))
        .isZero();
    assertThat(outbox(purchaseNo)).isEmpty();
    assertThatThrownBy(() -> funds.purchase(purchaseNo))
        .isInstanceOfSatisfying(
            FundException.class,
            e -> assertThat(e.code()).isEqualTo(FundErrorCode.UNKNOWN_PURCHASE));
    assertThat(funds.investor(investor))
        .isEqualTo(new InvestorPosition(investor, cash, 0, cash, Map.of()));
  }

  /** The purchase's outbox messages, in order: "topic tags status". */
  private static List<String> outbox(String purchaseNo) {
    return jdbc.queryForList(
        "SELECT CONCAT(topic, ' ', tags, ' ', status) FROM "
            + fund
            + ".outbox_message WHERE business_key = ? ORDER BY id",
        String.class,
        purchaseNo);
  }

  /** The purchase's deliveries: "topic group status". */
  private static List<String> deliveries(String purchaseNo) {
    return jdbc.queryForList(
        "SELECT CONCAT(m.topic, ' ', d.consumer_group, ' ', d.status) FROM "
            + fund
            + ".outbox_delivery d JOIN "
            + fund
            + ".outbox_message m ON m.id = d.message_pk WHERE m.business_key = ?",
        String.class,
        purchaseNo);
  }

  private static Map<String, Object> secondaryDelivery(String purchaseNo) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT d.status, d.attempts, d.last_error FROM "
                + fund
                + ".outbox_delivery d JOIN "
                + fund
                + ".outbox_message m ON m.id = d.message_pk"
                + " WHERE m.business_key = ? AND d.consumer_group = ?",
            purchaseNo,
            SECONDARY);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** The purchase's DISCOUNT_PURCHASE message as the relay delivers it. */
  private static EventMessage discountPurchaseMessage(String purchaseNo) {
    Map<String, Object> m =
        jdbc.queryForMap(
            "SELECT message_id, topic, tags, business_key, payload FROM "
                + fund
                + ".outbox_message WHERE business_key = ? AND topic = 'fund'",
            purchaseNo);
    return new EventMessage(
        (String) m.get("message_id"),
        (String) m.get("topic"),
        (String) m.get("tags"),
        (String) m.get("business_key"),
        (String) m.get("payload"),
        Map.of(),
        System.currentTimeMillis(),
        1);
  }

  /** The event of a purchase {@code group} may apply, null for none. */
  private static String eventOf(String group) {
    if (SECONDARY.equals(group)) {
      return "DISCOUNT_PURCHASE";
    }
    return SUBSCRIBERS.contains(group) ? "FUND_BOUGHT" : null;
  }

  /**
   * Every dedupe row, in every schema of the topology, of the purchase's two messages: consumer
   * group to how many times it applied one of them. Only the five subscribers (FUND_BOUGHT) and the
   * secondary purchase (DISCOUNT_PURCHASE) may appear, and each once.
   */
  private static Map<String, Long> appliedBy(String purchaseNo) {
    Map<String, String> eventOf = new TreeMap<>();
    jdbc.query(
        "SELECT message_id, topic FROM " + fund + ".outbox_message WHERE business_key = ?",
        rs -> {
          eventOf.put(
              rs.getString(1),
              "fund".equals(rs.getString(2)) ? "DISCOUNT_PURCHASE" : "FUND_BOUGHT");
        },
        purchaseNo);
    Map<String, Long> applied = new TreeMap<>();
    if (eventOf.isEmpty()) {
      return applied;
    }
    List<String> schemas =
        jdbc.queryForList(
            "SELECT table_schema FROM information_schema.tables WHERE table_name ="
                + " 'consumed_message' AND table_schema LIKE ?",
            String.class,
            config.schemaPrefix().replace("_", "\\_") + "%");
    String ids = String.join(",", eventOf.keySet().stream().map(id -> "?").toList());
    for (String schema : schemas) {
      jdbc.query(
          "SELECT consumer_group, message_id FROM "
              + schema
              + ".consumed_message WHERE message_id IN ("
              + ids
              + ")",
          rs -> {
            String group = rs.getString(1);
            assertThat(eventOf.get(rs.getString(2)))
                .as("event applied by %s in %s", group, schema)
                .isEqualTo(eventOf(group));
            applied.merge(group, 1L, Long::sum);
          },
          eventOf.keySet().toArray());
    }
    return applied;
  }

  private static long consumed(String schema, String group, String messageId) {
    return count(
        "SELECT COUNT(*) FROM "
            + schema
            + ".consumed_message WHERE consumer_group = ? AND message_id = ?",
        group,
        messageId);
  }

  private static long count(String sql, Object... args) {
    Long n = jdbc.queryForObject(sql, Long.class, args);
    return n == null ? 0 : n;
  }

  private static void assertForbidden(Runnable call, String caller, String method) {
    try {
      call.run();
    } catch (SecurityException e) {
      assertThat(e.getMessage()).startsWith("FORBIDDEN: caller " + caller).endsWith(method);
      return;
    }
    throw new AssertionError("the call was not refused");
  }
}
