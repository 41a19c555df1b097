package io.txcenter.fund;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.outbox.api.OutboxCheck.CheckOutcome;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fund outbox's business check on a real database: what the relay hears about a purchase's
 * transaction when the TC no longer knows it. The check is the one FundMain exports ({@link
 * FundMain#outboxCheck}).
 */
class FundOutboxCheckIT {

  private static FundSchema db;
  private static OutboxCheck check;

  @BeforeAll
  static void openSchema() {
    db = FundSchema.open();
    check = FundMain.outboxCheck(db.funds);
  }

  @AfterAll
  static void dropSchema() {
    db.close();
  }

  @Test
  void aConfirmedPurchase_isCommitted_evenAfterItsSecondaryIsDone() {
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch =
        db.confirmedPurchase(purchaseNo, db.investorWith(1_000), "FUND-A", 500);

    assertThat(check.check("fund", purchaseNo, branch.getXid())).isEqualTo(CheckOutcome.COMMITTED);
    assertThat(check.check("accompaniment", purchaseNo, branch.getXid()))
        .isEqualTo(CheckOutcome.COMMITTED);
    assertThat(db.funds.completeSecondary(purchaseNo, 4, 492)).isEqualTo(1);
    assertThat(check.check("fund", purchaseNo, branch.getXid())).isEqualTo(CheckOutcome.COMMITTED);
  }

  @Test
  void aTriedPurchase_isUnknown() {
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch =
        db.triedPurchase(purchaseNo, db.investorWith(1_000), "FUND-A", 500);

    assertThat(check.check("fund", purchaseNo, branch.getXid())).isEqualTo(CheckOutcome.UNKNOWN);
  }

  @Test
  void aCancelledPurchase_isRolledBack() {
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch =
        db.triedPurchase(purchaseNo, db.investorWith(1_000), "FUND-A", 500);
    assertThat(db.fence.cancel(branch)).isTrue();

    assertThat(check.check("fund", purchaseNo, branch.getXid()))
        .isEqualTo(CheckOutcome.ROLLED_BACK);
  }

  @Test
  void noPurchase_orOneOfAnotherTransaction_orNoXid_isRolledBack() {
    String purchaseNo = FundSchema.key("p");
    BusinessActionContext branch =
        db.confirmedPurchase(purchaseNo, db.investorWith(1_000), "FUND-A", 500);

    assertThat(check.check("fund", FundSchema.key("p"), branch.getXid()))
        .isEqualTo(CheckOutcome.ROLLED_BACK);
    // a transaction that lost the purchase number to this one never got past its Try
    assertThat(check.check("fund", purchaseNo, branch.getXid() + "1"))
        .isEqualTo(CheckOutcome.ROLLED_BACK);
    assertThat(check.check("fund", purchaseNo, null)).isEqualTo(CheckOutcome.ROLLED_BACK);
  }
}
