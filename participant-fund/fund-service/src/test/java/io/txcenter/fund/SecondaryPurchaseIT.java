package io.txcenter.fund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.fund.api.DiscountPurchase;
import io.txcenter.fund.api.FundBought;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secondary purchase (consumer group {@code fund-secondary}) on a real database, fed messages
 * as the relay delivers them, for purchases whose main purchase ran through the fence.
 */
class SecondaryPurchaseIT {

  private static FundSchema db;
  private static SecondaryPurchase secondary;

  @BeforeAll
  static void openSchema() {
    db = FundSchema.open();
    secondary =
        new SecondaryPurchase(
            new IdempotentConsumer(FundCatalog.SECONDARY_GROUP, db.dataSource), db.funds);
  }

  @AfterAll
  static void dropSchema() {
    db.close();
  }

  @Test
  void givenAConfirmedPurchase_itBuysFloorOfAmountOverNav_andTheChangeStaysInTheWallet() {
    String investor = db.investorWith(10_000);
    String purchaseNo = confirmed(investor, "FUND-A", 1_000);
    assertThat(db.position(investor))
        .isEqualTo(Map.of("cash", 9_000L, "frozen", 0L, FundCatalog.WALLET, 1_000L));

    secondary.consume(message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 1_000));

    // FUND-A's NAV is 123: 8 units cost 984, the 16 cents of change stay in the wallet
    assertThat(db.position(investor))
        .isEqualTo(Map.of("cash", 9_000L, "frozen", 0L, "FUND-A", 8L, FundCatalog.WALLET, 16L));
    PurchaseRecord done = db.funds.findPurchase(purchaseNo);
    assertThat(done.status()).isEqualTo("CONFIRMED");
    assertThat(done.secondary()).isEqualTo("DONE");
    assertThat(done.targetUnits()).isEqualTo(8);
    assertThat(done.redeemedUnits()).isEqualTo(984);
    assertThat(done.fee()).isZero();
    assertThat(done.walletUnits()).isEqualTo(1_000);
  }

  @Test
  void givenAnAmountThatIsAMultipleOfTheNav_theWholeWalletIsRedeemed() {
    String investor = db.investorWith(2_000);
    String purchaseNo = confirmed(investor, "FUND-B", 1_000);

    secondary.consume(message(FundSchema.key("m"), purchaseNo, investor, "FUND-B", 1_000));

    assertThat(db.position(investor))
        .isEqualTo(Map.of("cash", 1_000L, "frozen", 0L, "FUND-B", 4L, FundCatalog.WALLET, 0L));
  }

  @Test
  void givenTheSameMessageDeliveredTwice_theTargetIsBoughtOnce() {
    String investor = db.investorWith(10_000);
    String purchaseNo = confirmed(investor, "FUND-A", 5_000);
    EventMessage message = message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 5_000);

    secondary.consume(message);
    Map<String, Long> once = db.position(investor);
    secondary.consume(message); // the relay's redelivery: the dedupe row says already applied

    assertThat(db.position(investor)).isEqualTo(once);
    assertThat(once).containsEntry("FUND-A", 40L).containsEntry(FundCatalog.WALLET, 80L);
    assertThat(consumed(message.messageId())).isEqualTo(1);
    assertThat(db.funds.findPurchase(purchaseNo).targetUnits()).isEqualTo(40);
  }

  @Test
  void givenASecondMessageOfTheSamePurchase_aRedriveCopy_theTargetIsStillBoughtOnce() {
    String investor = db.investorWith(10_000);
    String purchaseNo = confirmed(investor, "FUND-A", 5_000);
    EventMessage first = message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 5_000);
    EventMessage copy = message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 5_000);

    secondary.consume(first);
    Map<String, Long> once = db.position(investor);
    PurchaseRecord done = db.funds.findPurchase(purchaseNo);
    secondary.consume(copy);

    assertThat(db.position(investor)).isEqualTo(once);
    assertThat(db.funds.findPurchase(purchaseNo)).isEqualTo(done);
    assertThat(consumed(first.messageId())).isEqualTo(1);
    // acknowledged before any dedupe row: a copy leaves no row the audit would find stray
    assertThat(consumed(copy.messageId())).isZero();
  }

  @Test
  void givenTwoMessagesOfOnePurchaseDeliveredAtOnce_theTargetIsBoughtOnce() throws Exception {
    for (int round = 0; round < 10; round++) {
      String investor = db.investorWith(10_000);
      String purchaseNo = confirmed(investor, "FUND-A", 5_000);
      CyclicBarrier start = new CyclicBarrier(2);
      List<CompletableFuture<Void>> deliveries =
          List.of(
              deliverAt(start, message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 5_000)),
              deliverAt(
                  start, message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 5_000)));
      for (CompletableFuture<Void> delivery : deliveries) {
        delivery.get(30, TimeUnit.SECONDS);
      }

      assertThat(db.position(investor))
          .isEqualTo(Map.of("cash", 5_000L, "frozen", 0L, "FUND-A", 40L, FundCatalog.WALLET, 80L));
    }
  }

  @Test
  void
      givenTheTargetFundClosed_deliveryIsRefusedTransient_changesNothing_andSucceedsOnceReopened() {
    String investor = db.investorWith(10_000);
    String purchaseNo = confirmed(investor, "FUND-B", 3_000);
    EventMessage message = message(FundSchema.key("m"), purchaseNo, investor, "FUND-B", 3_000);
    Map<String, Long> before = db.position(investor);
    PurchaseRecord pending = db.funds.findPurchase(purchaseNo);
    db.funds.setOpen("FUND-B", false);
    try {
      for (int attempt = 1; attempt <= 2; attempt++) {
        assertRefused(message, ConsumerException.Code.TRANSIENT)
            .hasMessageContaining("target fund [FUND-B] closed for subscriptions");
      }

      assertThat(db.position(investor)).isEqualTo(before);
      assertThat(db.funds.findPurchase(purchaseNo)).isEqualTo(pending);
      assertThat(pending.secondary()).isEqualTo("PENDING");
      assertThat(consumed(message.messageId())).isZero();
    } finally {
      db.funds.setOpen("FUND-B", true);
    }

    secondary.consume(message);
    secondary.consume(message);

    assertThat(db.position(investor))
        .isEqualTo(Map.of("cash", 7_000L, "frozen", 0L, "FUND-B", 12L, FundCatalog.WALLET, 0L));
    assertThat(db.funds.findPurchase(purchaseNo).secondary()).isEqualTo("DONE");
    assertThat(consumed(message.messageId())).isEqualTo(1);
  }

  @Test
  void givenTheMainPurchaseStillTried_deliveryIsRefusedTransient_andChangesNothing() {
    String investor = db.investorWith(10_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = db.triedPurchase(purchaseNo, investor, "FUND-A", 1_000);
    EventMessage message = message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 1_000);
    Map<String, Long> before = db.position(investor);

    assertRefused(message, ConsumerException.Code.TRANSIENT)
        .hasMessageContaining("not confirmed yet");

    assertThat(db.position(investor)).isEqualTo(before);
    assertThat(consumed(message.messageId())).isZero();
    // once its transaction commits, the retried delivery buys the target
    assertThat(db.fence.confirm(branch)).isTrue();
    secondary.consume(message);
    assertThat(db.position(investor)).containsEntry("FUND-A", 8L);
  }

  @Test
  void givenACancelledPurchase_deliveryIsRejected_andChangesNothing() {
    String investor = db.investorWith(10_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = db.triedPurchase(purchaseNo, investor, "FUND-A", 1_000);
    assertThat(db.fence.cancel(branch)).isTrue();
    EventMessage message = message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 1_000);

    assertRefused(message, ConsumerException.Code.REJECTED)
        .hasMessageContaining("missing or cancelled");

    assertThat(db.position(investor)).isEqualTo(Map.of("cash", 10_000L, "frozen", 0L));
    assertThat(db.funds.findPurchase(purchaseNo).secondary()).isEqualTo("NONE");
    assertThat(consumed(message.messageId())).isZero();
  }

  @Test
  void givenNoSuchPurchase_deliveryIsRejected_andRecordsNothing() {
    String purchaseNo = FundSchema.key("p");
    EventMessage message = message(FundSchema.key("m"), purchaseNo, "inv-x", "FUND-A", 1_000);

    assertRefused(message, ConsumerException.Code.REJECTED)
        .hasMessageContaining("missing or cancelled");

    assertThat(db.funds.findPurchase(purchaseNo)).isNull();
    assertThat(consumed(message.messageId())).isZero();
  }

  @Test
  void givenFewerWalletUnitsThanTheCost_deliveryIsRejected_andChangesNothing() {
    String investor = db.investorWith(10_000);
    String purchaseNo = confirmed(investor, "FUND-A", 1_000);
    // wallet units gone elsewhere (no such path exists in the service: a corrupt holding)
    db.jdbc.update(
        "UPDATE holding SET units = 100 WHERE investor_id = ? AND fund_code = ?",
        investor,
        FundCatalog.WALLET);
    EventMessage message = message(FundSchema.key("m"), purchaseNo, investor, "FUND-A", 1_000);

    assertRefused(message, ConsumerException.Code.REJECTED)
        .hasMessageContaining("fewer than [984] wallet units");

    assertThat(db.units(investor)).isEqualTo(Map.of(FundCatalog.WALLET, 100L));
    assertThat(db.funds.findPurchase(purchaseNo).secondary()).isEqualTo("PENDING");
    assertThat(consumed(message.messageId())).isZero();
  }

  @Test
  void malformedMessages_areRejected_andChangeNothing() {
    String investor = db.investorWith(10_000);
    String purchaseNo = confirmed(investor, "FUND-A", 1_000);
    Map<String, Long> before = db.position(investor);
    String right =
        FundCatalog.DISCOUNT_PURCHASE.json(
            new DiscountPurchase(purchaseNo, investor, "FUND-A", 1_000, 1_000));

    List<EventMessage> malformed =
        List.of(
            withPayload(purchaseNo, "{not json}"),
            withPayload(purchaseNo, "{}"),
            withPayload(purchaseNo, right.replace("\"purchaseNo\"", "\"purchase\"")),
            withPayload(purchaseNo, right.replace(purchaseNo, "bad number!")),
            withPayload(purchaseNo, right.replace(purchaseNo, "p".repeat(65))),
            withPayload(purchaseNo, right.replace("DISCOUNT_PURCHASE", "FUND_BOUGHT")),
            withPayload(
                purchaseNo,
                FundCatalog.FUND_BOUGHT.json(
                    new FundBought(purchaseNo, investor, "FUND-A", 1_000))),
            withPayload(purchaseNo, "[" + right + "]"),
            new EventMessage(
                "bad id!", "fund", "DISCOUNT_PURCHASE", purchaseNo, right, Map.of(), 1L, 1),
            new EventMessage(
                FundSchema.key("m"), "fund", "DISCOUNT_PURCHASE", purchaseNo, right, null, -1L, 1));
    for (EventMessage message : malformed) {
      assertRefused(message, ConsumerException.Code.REJECTED)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
      assertThat(consumed(message.messageId())).as("%s", message).isZero();
    }

    assertThat(db.position(investor)).isEqualTo(before);
    assertThat(db.funds.findPurchase(purchaseNo).secondary()).isEqualTo("PENDING");
  }

  /** A purchase tried and confirmed through the fence: its secondary is PENDING. */
  private static String confirmed(String investor, String target, long amount) {
    String purchaseNo = FundSchema.key("p");
    db.confirmedPurchase(purchaseNo, investor, target, amount);
    assertThat(db.funds.findPurchase(purchaseNo).secondary()).isEqualTo("PENDING");
    return purchaseNo;
  }

  /** The message as the relay delivers the main purchase's DISCOUNT_PURCHASE event. */
  private static EventMessage message(
      String messageId, String purchaseNo, String investor, String target, long amount) {
    return new EventMessage(
        messageId,
        FundCatalog.DISCOUNT_PURCHASE.topic(),
        DiscountPurchase.EVENT,
        purchaseNo,
        FundCatalog.DISCOUNT_PURCHASE.json(
            new DiscountPurchase(purchaseNo, investor, target, amount, amount)),
        Map.of("source", "fund"),
        System.currentTimeMillis(),
        1);
  }

  private static EventMessage withPayload(String purchaseNo, String payload) {
    return new EventMessage(
        FundSchema.key("m"),
        "fund",
        DiscountPurchase.EVENT,
        purchaseNo,
        payload,
        Map.of("source", "fund"),
        System.currentTimeMillis(),
        1);
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      EventMessage message, ConsumerException.Code code) {
    return assertThatThrownBy(() -> secondary.consume(message))
        .as("%s", message)
        .isInstanceOfSatisfying(ConsumerException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static CompletableFuture<Void> deliverAt(CyclicBarrier start, EventMessage message) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            start.await(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          secondary.consume(message);
        });
  }

  private static long consumed(String messageId) {
    return db.rows(
        "SELECT COUNT(*) FROM consumed_message WHERE consumer_group = ? AND message_id = ?",
        FundCatalog.SECONDARY_GROUP,
        messageId);
  }
}
