package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.payment.tcc.PaymentSettleAction;
import io.txcenter.payment.tcc.PaymentSettleTcc;
import io.txcenter.testkit.FenceHarness;
import java.util.Map;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 6: claims carried no owner, so a callback that stalled between its claim and its
 * Try could, after the lease reaper released its claim and another callback claimed the payment,
 * bind its own transaction onto the other's claim. Each claim now has a random owner token set by
 * the claim's UPDATE; binding (the settle Try, through Seata's fence) and releasing are guarded by
 * it.
 */
class ClaimOwnerTokenIT {

  private static PaymentFixture fx;
  private static PaymentSettleTcc branch;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    fx = new PaymentFixture("payment_owner");
    branch = new PaymentSettleTcc(fx.payments);
    fence = new FenceHarness(branch, PaymentSettleAction.NAME);
  }

  @AfterAll
  static void dropSchema() {
    fx.close();
  }

  @Test
  void givenAClaimReleasedByLeaseExpiryAndClaimedAgain_theFirstOwnersBindFails_andChangesNothing() {
    fx.create("pay-owner", 300);
    assertThat(fx.payments.claim("pay-owner", "bank-a", "bk-1", "PAID", "owner-1", 60))
        .isEqualTo(1);
    fx.jdbc.update(
        "UPDATE payment_order SET claimed_at = NOW(3) - INTERVAL 1 HOUR"
            + " WHERE payment_no = 'pay-owner'");
    assertThat(fx.payments.releaseExpiredClaims(60)).isEqualTo(1);
    assertThat(fx.payments.claim("pay-owner", "bank-a", "bk-2", "FAILED", "owner-2", 60))
        .isEqualTo(1);
    Map<String, Object> secondClaim = fx.row("pay-owner");

    BusinessActionContext stalled = FenceHarness.newBranch();
    assertThatThrownBy(
            () ->
                fence.tryPhase(
                    stalled, () -> branch.trySettle(stalled, "pay-owner", "PAID", null, "owner-1")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fx.payments.release("pay-owner", "owner-1")).isZero();
    assertThat(fx.payments.bindBranch("pay-owner", "owner-1", "xid-x", "PAID", null)).isZero();

    assertThat(fx.row("pay-owner"))
        .isEqualTo(secondClaim)
        .containsEntry("claim_token", "owner-2")
        .containsEntry("xid", null);
    // the failed Try left no fence row (its local transaction rolled back with it)
    assertThat(fx.count("tcc_fence_log")).isZero();

    // the owner of the claim binds it
    BusinessActionContext owner = FenceHarness.newBranch();
    fence.tryPhase(
        owner, () -> branch.trySettle(owner, "pay-owner", "FAILED", "declined", "owner-2"));
    assertThat(fx.row("pay-owner"))
        .containsEntry("xid", owner.getXid())
        .containsEntry("target_status", "FAILED");
  }

  @Test
  void givenTheOwnersToken_releaseGivesTheUnboundClaimBack_andClearsTheBankTransaction() {
    fx.create("pay-release", 300);
    assertThat(fx.payments.claim("pay-release", "bank-a", "bk-rel", "PAID", "owner-r", 60))
        .isEqualTo(1);
    assertThat(fx.payments.release("pay-release", "someone-else")).isZero();

    assertThat(fx.payments.release("pay-release", "owner-r")).isEqualTo(1);

    assertThat(fx.row("pay-release"))
        .containsEntry("status", "CREATED")
        .containsEntry("claim_token", null)
        .containsEntry("bank_id", null)
        .containsEntry("bank_txn_no", null);
  }
}
