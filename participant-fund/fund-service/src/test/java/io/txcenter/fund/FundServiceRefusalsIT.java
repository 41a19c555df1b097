package io.txcenter.fund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.FundException;
import io.txcenter.fund.api.FundInfo;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.InvestorPosition;
import io.txcenter.fund.api.PurchaseRequest;
import io.txcenter.fund.api.PurchaseResult;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.fund.api.SecondaryStatus;
import io.txcenter.kit.Echo;
import java.util.List;
import java.util.Map;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fund service's refusals on a real database. Every refusal here is decided before the global
 * transaction begins, so the service runs with no transaction coordinator and no outbox (null): a
 * call that got as far as either would fail otherwise than asserted. Each refusal changes nothing.
 */
class FundServiceRefusalsIT {

  private static FundSchema db;
  private static FundService service;

  @BeforeAll
  static void openSchema() {
    db = FundSchema.open();
    service = new FundServiceImpl(db.funds, db.action, null, db.transactions, 30_000);
  }

  @AfterAll
  static void dropSchema() {
    db.close();
  }

  @Test
  void malformedRequests_areRefusedInvalidRequest() {
    String investor = db.investorWith(10_000);
    try (Unchanged unchanged = new Unchanged(investor)) {
      assertBuy(null, FundErrorCode.INVALID_REQUEST);
      for (String bad : new String[] {null, "", "bad number!", "p".repeat(65), "p/1", "p\n1"}) {
        assertBuy(
            new PurchaseRequest(bad, investor, "FUND-A", 1_000), FundErrorCode.INVALID_REQUEST);
        assertBuy(
            new PurchaseRequest(FundSchema.key("p"), bad, "FUND-A", 1_000),
            FundErrorCode.INVALID_REQUEST);
        assertBuy(
            new PurchaseRequest(FundSchema.key("p"), investor, bad, 1_000),
            FundErrorCode.INVALID_REQUEST);
      }
    }
  }

  @Test
  void givenMillionCharacterFields_theRefusalEchoesOnly64Characters() {
    String huge = "h".repeat(1_000_000);
    String investor = db.investorWith(10_000);

    for (PurchaseRequest request :
        List.of(
            new PurchaseRequest(huge, investor, "FUND-A", 1_000),
            new PurchaseRequest(FundSchema.key("p"), huge, "FUND-A", 1_000),
            new PurchaseRequest(FundSchema.key("p"), investor, huge, 1_000))) {
      assertThatThrownBy(() -> service.buy(request))
          .isInstanceOfSatisfying(
              FundException.class,
              e -> assertThat(e.code()).isEqualTo(FundErrorCode.INVALID_REQUEST))
          .hasMessageContaining("h".repeat(64) + "…(1000000 chars)")
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
    assertThatThrownBy(() -> service.purchase(huge))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> service.investor(huge))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> service.setOpen(huge, false, "test"))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> service.openInvestor(huge, 5, "test"))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void amountsOutOfRange_areRefusedInvalidAmount() {
    String investor = db.investorWith(FundService.MAX_AMOUNT + 10);
    try (Unchanged unchanged = new Unchanged(investor)) {
      for (long amount : new long[] {0, -1, -1_000, Long.MIN_VALUE, FundService.MAX_AMOUNT + 1}) {
        assertBuy(
            new PurchaseRequest(FundSchema.key("p"), investor, "FUND-A", amount),
            FundErrorCode.INVALID_AMOUNT);
      }
      // less than one unit of the target fund (FUND-A 123, FUND-B 250)
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), investor, "FUND-A", 122),
          FundErrorCode.INVALID_AMOUNT);
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), investor, "FUND-B", 249),
          FundErrorCode.INVALID_AMOUNT);
    }
  }

  @Test
  void unknownInvestorsAndFunds_areRefused() {
    String investor = db.investorWith(10_000);
    try (Unchanged unchanged = new Unchanged(investor)) {
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), FundSchema.key("nobody"), "FUND-A", 1_000),
          FundErrorCode.UNKNOWN_INVESTOR);
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), investor, "FUND-Z", 1_000),
          FundErrorCode.UNKNOWN_FUND);
    }
    assertThat(db.rows("SELECT COUNT(*) FROM investor WHERE investor_id LIKE 'nobody-%'")).isZero();
  }

  @Test
  void fundsNotOpenForDiscountPurchases_areRefusedFundNotOpen() {
    String investor = db.investorWith(10_000);
    try (Unchanged unchanged = new Unchanged(investor)) {
      // not on sale
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), investor, "FUND-X", 1_000),
          FundErrorCode.FUND_NOT_OPEN);
      // the wallet fund is not a target
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), investor, FundCatalog.WALLET, 1_000),
          FundErrorCode.FUND_NOT_OPEN);
      // the wallet fund closed: the main purchase cannot buy it
      db.funds.setOpen(FundCatalog.WALLET, false);
      try {
        assertBuy(
            new PurchaseRequest(FundSchema.key("p"), investor, "FUND-A", 1_000),
            FundErrorCode.FUND_NOT_OPEN);
      } finally {
        db.funds.setOpen(FundCatalog.WALLET, true);
      }
    }
  }

  @Test
  void moreThanTheCash_isRefusedInsufficientCash() {
    String investor = db.investorWith(999);
    try (Unchanged unchanged = new Unchanged(investor)) {
      assertBuy(
          new PurchaseRequest(FundSchema.key("p"), investor, "FUND-A", 1_000),
          FundErrorCode.INSUFFICIENT_CASH);
    }
  }

  @Test
  void givenAPurchase_itsNumberWithOtherContent_isRefusedDuplicatePurchase_andChangesNothing() {
    String investor = db.investorWith(10_000);
    String other = db.investorWith(10_000);
    String purchaseNo = FundSchema.key("p");
    db.confirmedPurchase(purchaseNo, investor, "FUND-A", 1_000);

    try (Unchanged unchanged = new Unchanged(investor, other)) {
      for (PurchaseRequest request :
          List.of(
              new PurchaseRequest(purchaseNo, other, "FUND-A", 1_000),
              new PurchaseRequest(purchaseNo, investor, "FUND-B", 1_000),
              new PurchaseRequest(purchaseNo, investor, "FUND-A", 1_001),
              // even one the fund would refuse on its own: the number decides first
              new PurchaseRequest(purchaseNo, investor, "FUND-X", 1_000))) {
        assertBuy(request, FundErrorCode.DUPLICATE_PURCHASE);
      }
    }
  }

  @Test
  void givenAPurchase_theSameRequestAgain_answersTheFirstOutcome_asADuplicate() {
    String investor = db.investorWith(10_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = db.confirmedPurchase(purchaseNo, investor, "FUND-A", 1_000);

    try (Unchanged unchanged = new Unchanged(investor)) {
      PurchaseResult again =
          service.buy(new PurchaseRequest(purchaseNo, investor, "FUND-A", 1_000));

      assertThat(again)
          .isEqualTo(
              new PurchaseResult(
                  purchaseNo,
                  investor,
                  "FUND-A",
                  1_000,
                  PurchaseStatus.CONFIRMED,
                  SecondaryStatus.PENDING,
                  1_000,
                  0,
                  0,
                  0,
                  branch.getXid(),
                  true));
    }
  }

  @Test
  void givenACancelledPurchase_theSameRequestAgain_answersCancelled_andBuysNothing() {
    String investor = db.investorWith(10_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = db.triedPurchase(purchaseNo, investor, "FUND-A", 1_000);
    assertThat(db.fence.cancel(branch)).isTrue();

    try (Unchanged unchanged = new Unchanged(investor)) {
      PurchaseResult again =
          service.buy(new PurchaseRequest(purchaseNo, investor, "FUND-A", 1_000));

      assertThat(again.status()).isEqualTo(PurchaseStatus.CANCELLED);
      assertThat(again.secondary()).isEqualTo(SecondaryStatus.NONE);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.xid()).isEqualTo(branch.getXid());
    }
  }

  @Test
  void purchase_readsTheRecord_orRefuses() {
    String investor = db.investorWith(10_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = db.confirmedPurchase(purchaseNo, investor, "FUND-B", 500);

    PurchaseResult read = service.purchase(purchaseNo);

    assertThat(read)
        .isEqualTo(
            new PurchaseResult(
                purchaseNo,
                investor,
                "FUND-B",
                500,
                PurchaseStatus.CONFIRMED,
                SecondaryStatus.PENDING,
                500,
                0,
                0,
                0,
                branch.getXid(),
                false));
    assertCode(() -> service.purchase(FundSchema.key("p")), FundErrorCode.UNKNOWN_PURCHASE);
    assertCode(() -> service.purchase("bad number!"), FundErrorCode.INVALID_REQUEST);
    assertCode(() -> service.purchase(null), FundErrorCode.INVALID_REQUEST);
  }

  @Test
  void funds_listsTheSeededFunds_walletFirst() {
    assertThat(service.funds())
        .containsExactly(
            new FundInfo(FundCatalog.WALLET, "WALLET", 1, true, true),
            new FundInfo("FUND-A", "TARGET", 123, true, true),
            new FundInfo("FUND-B", "TARGET", 250, true, true),
            new FundInfo("FUND-X", "TARGET", 100, false, true));
  }

  @Test
  void setOpen_switchesTheFund_andRecordsWhoAndWhy() {
    long switchesBefore = db.rows("SELECT COUNT(*) FROM fund_switch WHERE fund_code = 'FUND-B'");
    try {
      assertThat(service.setOpen("FUND-B", false, "NAV calculation, ticket #42"))
          .isEqualTo(new FundInfo("FUND-B", "TARGET", 250, true, false));
      assertThat(db.funds.findFund("FUND-B").open()).isFalse();
    } finally {
      assertThat(service.setOpen("FUND-B", true, "NAV published"))
          .isEqualTo(new FundInfo("FUND-B", "TARGET", 250, true, true));
    }

    assertThat(
            db.jdbc.queryForList(
                "SELECT is_open, operator, reason FROM fund_switch WHERE fund_code = 'FUND-B'"
                    + " ORDER BY id"))
        .hasSize((int) switchesBefore + 2)
        .endsWith(
            Map.of("is_open", 0, "operator", "local", "reason", "NAV calculation, ticket #42"),
            Map.of("is_open", 1, "operator", "local", "reason", "NAV published"));
  }

  @Test
  void setOpen_refusesUnknownFundsBadCodesAndBadReasons_andSwitchesNothing() {
    long switchesBefore = db.rows("SELECT COUNT(*) FROM fund_switch");

    assertCode(() -> service.setOpen("FUND-Z", false, "test"), FundErrorCode.UNKNOWN_FUND);
    assertCode(() -> service.setOpen("fund a!", false, "test"), FundErrorCode.INVALID_REQUEST);
    assertCode(() -> service.setOpen(null, false, "test"), FundErrorCode.INVALID_REQUEST);
    for (String reason : new String[] {null, "", " ", "x".repeat(129), "drop\ttable", "a<b>"}) {
      assertCode(() -> service.setOpen("FUND-A", false, reason), FundErrorCode.INVALID_REQUEST);
    }

    assertThat(db.funds.findFund("FUND-A").open()).isTrue();
    assertThat(db.rows("SELECT COUNT(*) FROM fund_switch")).isEqualTo(switchesBefore);
  }

  @Test
  void openInvestor_opensOnce_recordingWhoAndWhy_andInvestorReadsThePosition() {
    String investor = FundSchema.key("inv");

    InvestorPosition opened = service.openInvestor(investor, 2_500, "new customer #7");
    InvestorPosition again =
        service.openInvestor(investor, 9_999, "a second opening opens nothing");

    assertThat(opened).isEqualTo(new InvestorPosition(investor, 2_500, 0, 2_500, Map.of()));
    assertThat(again).isEqualTo(opened);
    assertThat(service.investor(investor)).isEqualTo(opened);
    assertThat(
            db.jdbc.queryForList(
                "SELECT opening_cash, operator, reason FROM investor_opening"
                    + " WHERE investor_id = ? AND opened_at IS NOT NULL",
                investor))
        .containsExactly(
            Map.of("opening_cash", 2_500L, "operator", "local", "reason", "new customer #7"));
  }

  @Test
  void investor_showsCashFrozenAndUnits() {
    String investor = db.investorWith(10_000);
    db.confirmedPurchase(FundSchema.key("p"), investor, "FUND-A", 1_000);
    db.triedPurchase(FundSchema.key("p"), investor, "FUND-A", 300);

    assertThat(service.investor(investor))
        .isEqualTo(
            new InvestorPosition(investor, 8_700, 300, 10_000, Map.of(FundCatalog.WALLET, 1_000L)));
  }

  @Test
  void openInvestorAndInvestor_refuseBadInput_andOpenNothing() {
    String investor = FundSchema.key("inv");

    assertCode(() -> service.openInvestor(investor, -1, "test"), FundErrorCode.INVALID_AMOUNT);
    assertCode(
        () -> service.openInvestor(investor, FundService.MAX_OPENING + 1, "test"),
        FundErrorCode.INVALID_AMOUNT);
    assertCode(() -> service.openInvestor("bad id!", 5, "test"), FundErrorCode.INVALID_REQUEST);
    assertCode(() -> service.openInvestor(null, 5, "test"), FundErrorCode.INVALID_REQUEST);
    for (String reason : new String[] {null, " ", "x".repeat(129), "drop\ttable"}) {
      assertCode(() -> service.openInvestor(investor, 5, reason), FundErrorCode.INVALID_REQUEST);
    }
    assertCode(() -> service.investor(investor), FundErrorCode.UNKNOWN_INVESTOR);
    assertCode(() -> service.investor("bad id!"), FundErrorCode.INVALID_REQUEST);
    assertCode(() -> service.investor(null), FundErrorCode.INVALID_REQUEST);

    assertThat(db.rows("SELECT COUNT(*) FROM investor WHERE investor_id = ?", investor)).isZero();
    assertThat(db.rows("SELECT COUNT(*) FROM investor_opening WHERE investor_id = ?", investor))
        .isZero();
  }

  private static void assertBuy(PurchaseRequest request, FundErrorCode code) {
    assertThatThrownBy(() -> service.buy(request))
        .as("%s", Echo.cut(request))
        .isInstanceOfSatisfying(
            FundException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).startsWith(code.name()).hasSizeLessThan(300);
            });
  }

  private static void assertCode(Runnable call, FundErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            FundException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).startsWith(code.name());
            });
  }

  /**
   * Asserts on close that the investors' rows and holdings, the purchases, the fence log and the
   * funds are as they were when it was opened.
   */
  private static final class Unchanged implements AutoCloseable {

    private final String[] investors;
    private final List<Object> before;

    Unchanged(String... investors) {
      this.investors = investors;
      this.before = snapshot();
    }

    private List<Object> snapshot() {
      List<Object> state = new java.util.ArrayList<>();
      for (String investor : investors) {
        state.add(db.jdbc.queryForMap("SELECT * FROM investor WHERE investor_id = ?", investor));
        state.add(db.units(investor));
      }
      state.add(db.jdbc.queryForList("SELECT * FROM fund_purchase ORDER BY purchase_no"));
      state.add(db.jdbc.queryForList("SELECT * FROM tcc_fence_log ORDER BY xid, branch_id"));
      state.add(db.jdbc.queryForList("SELECT * FROM fund ORDER BY fund_code"));
      return state;
    }

    @Override
    public void close() {
      assertThat(snapshot()).isEqualTo(before);
    }
  }
}
