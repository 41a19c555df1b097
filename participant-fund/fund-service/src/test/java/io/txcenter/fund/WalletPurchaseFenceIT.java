package io.txcenter.fund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.FundException;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TccReservationContract;
import java.util.List;
import java.util.Map;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The wallet-purchase action on a real database, driven through Seata's fence phase by phase. The
 * reservation is the investor's cash: state = [cash, frozen, wallet units]; a confirmed purchase
 * turns its frozen cash into as many wallet units (NAV 1 cent). The business key is the purchase
 * number.
 */
class WalletPurchaseFenceIT extends TccReservationContract {

  private static FundSchema db;

  @BeforeAll
  static void openSchema() {
    db = FundSchema.open();
  }

  @AfterAll
  static void dropSchema() {
    db.close();
  }

  @Override
  protected JdbcTemplate jdbc() {
    return db.jdbc;
  }

  @Override
  protected FenceHarness fence() {
    return db.fence;
  }

  @Override
  protected String newResource(long amount) {
    return db.investorWith(amount);
  }

  @Override
  protected void tryReserve(BusinessActionContext branch, String investor, long amount) {
    db.action.tryPurchase(branch, "p-" + branch.getBranchId(), investor, "FUND-A", amount);
  }

  @Override
  protected void tryReserveFor(
      BusinessActionContext branch, String investor, long amount, String purchaseNo) {
    db.action.tryPurchase(branch, purchaseNo, investor, "FUND-A", amount);
  }

  /**
   * [cash, frozen, wallet units], after asserting: cash + frozen + wallet units = opening (no
   * target units here), frozen = the investor's TRIED purchases, wallet units = its CONFIRMED ones.
   */
  @Override
  protected List<Long> state(String investor) {
    Map<String, Long> position = db.position(investor);
    long wallet = position.getOrDefault(FundCatalog.WALLET, 0L);
    assertThat(position.get("frozen")).isEqualTo(purchased(investor, "TRIED", "amount"));
    assertThat(wallet).isEqualTo(purchased(investor, "CONFIRMED", "wallet_units"));
    return List.of(position.get("cash"), position.get("frozen"), wallet);
  }

  /** A tried purchase freezes its cash; a confirmed one leaves the cash as wallet units. */
  @Override
  protected List<Long> expectedState(long opening, long frozen, long walletUnits) {
    return List.of(opening - frozen - walletUnits, frozen, walletUnits);
  }

  @Override
  protected String reservationTable() {
    return "fund_purchase";
  }

  /**
   * Replaces the contract's {@code givenACancelledReservation_itsBusinessKeyCanBeReservedByANew
   * Transaction}: a purchase number is single-use (the primary key of {@code fund_purchase}, and
   * {@code FundService.buy} answers a repeated number with its first outcome, CANCELLED included),
   * so a new transaction's Try of a cancelled purchase's number is refused and reserves nothing.
   */
  /** A purchase number is single-use: a cancelled purchase keeps it (the contract's branch). */
  @Override
  protected boolean cancelledKeyIsReusable() {
    return false;
  }

  @Test
  void try_recordsThePurchaseTried_confirm_makesItConfirmedWithWalletUnitsAndASecondaryPending() {
    String investor = newResource(5_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = FenceHarness.newBranch();

    db.fence.tryPhase(branch, () -> tryReserveFor(branch, investor, 1_234, purchaseNo));
    assertThat(db.funds.findPurchase(purchaseNo))
        .isEqualTo(
            new PurchaseRecord(
                purchaseNo,
                branch.getXid(),
                branch.getBranchId(),
                investor,
                "FUND-A",
                1_234,
                "TRIED",
                0,
                "NONE",
                0,
                0,
                0));
    assertThat(fenceStatus(branch)).isEqualTo(1);

    assertThat(db.fence.confirm(branch)).isTrue();

    PurchaseRecord confirmed = db.funds.findPurchase(purchaseNo);
    assertThat(confirmed.status()).isEqualTo("CONFIRMED");
    assertThat(confirmed.walletUnits()).isEqualTo(1_234);
    assertThat(confirmed.secondary()).isEqualTo("PENDING");
    assertThat(db.units(investor)).isEqualTo(Map.of(FundCatalog.WALLET, 1_234L));
    assertThat(state(investor)).isEqualTo(expectedState(5_000, 0, 1_234));
  }

  @Test
  void cancel_leavesTheSecondaryNone_andNoUnits() {
    String investor = newResource(5_000);
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch = FenceHarness.newBranch();
    db.fence.tryPhase(branch, () -> tryReserveFor(branch, investor, 700, purchaseNo));

    assertThat(db.fence.cancel(branch)).isTrue();
    assertThat(db.fence.confirm(branch)).isFalse();

    PurchaseRecord cancelled = db.funds.findPurchase(purchaseNo);
    assertThat(cancelled.status()).isEqualTo("CANCELLED");
    assertThat(cancelled.secondary()).isEqualTo("NONE");
    assertThat(cancelled.walletUnits()).isZero();
    assertThat(db.units(investor)).isEmpty();
    assertThat(state(investor)).isEqualTo(expectedState(5_000, 0, 0));
  }

  @Test
  void givenMoreThanTheCash_try_isRefusedInsufficientCash_andRecordsNothing() {
    String investor = newResource(500);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> db.fence.tryPhase(branch, () -> tryReserve(branch, investor, 501)))
        .isInstanceOfSatisfying(
            FundException.class,
            e -> assertThat(e.code()).isEqualTo(FundErrorCode.INSUFFICIENT_CASH));

    assertThat(state(investor)).isEqualTo(expectedState(500, 0, 0));
    assertThat(reservationRows(branch)).isZero();
    assertThat(fenceRows(branch)).isZero();
  }

  @Test
  void givenAnUnknownInvestor_try_isRefusedUnknownInvestor_andRecordsNothing() {
    String investor = FundSchema.key("nobody");
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> db.fence.tryPhase(branch, () -> tryReserve(branch, investor, 1)))
        .isInstanceOfSatisfying(
            FundException.class,
            e -> assertThat(e.code()).isEqualTo(FundErrorCode.UNKNOWN_INVESTOR));

    assertThat(reservationRows(branch)).isZero();
    assertThat(fenceRows(branch)).isZero();
    assertThat(db.rows("SELECT COUNT(*) FROM investor WHERE investor_id = ?", investor)).isZero();
  }

  @Test
  void givenTwoPurchasesInFlight_eachSettlesItsOwnAmount() {
    String investor = newResource(1_000);
    BusinessActionContext first = FenceHarness.newBranch();
    BusinessActionContext second = FenceHarness.newBranch();
    db.fence.tryPhase(first, () -> tryReserve(first, investor, 300));
    db.fence.tryPhase(second, () -> tryReserve(second, investor, 200));
    assertThat(state(investor)).isEqualTo(expectedState(1_000, 500, 0));

    assertThat(db.fence.cancel(second)).isTrue();
    assertThat(db.fence.confirm(first)).isTrue();

    assertThat(state(investor)).isEqualTo(expectedState(1_000, 0, 300));
    assertThat(reservationStatus(first)).isEqualTo("CONFIRMED");
    assertThat(reservationStatus(second)).isEqualTo("CANCELLED");
  }

  private static long purchased(String investor, String status, String column) {
    return db.rows(
        "SELECT COALESCE(SUM("
            + column
            + "), 0) FROM fund_purchase"
            + " WHERE investor_id = ? AND status = ?",
        investor,
        status);
  }
}
