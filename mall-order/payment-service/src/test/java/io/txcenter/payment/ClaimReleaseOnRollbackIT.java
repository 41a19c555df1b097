package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.tcc.PaymentSettleAction;
import io.txcenter.payment.tcc.PaymentSettleTcc;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.seata.common.exception.FrameworkException;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.model.TransactionManager;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.tm.TransactionManagerHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defects 1 and 6, on the rollback path of a callback's global transaction: a Try that
 * fails before its branch binds (the coordinator refused the branch, or the Try itself failed, as
 * it did on the too long reason) left the claim PROCESSING for ever (Cancel finds no bound xid) and
 * answered the caller with that PROCESSING view. Now the claim is given back by its owner, and the
 * caller gets {@code SERVICE_UNAVAILABLE}; a stalled callback whose claim expired and was taken
 * over by another callback can neither bind onto nor release the other's claim.
 *
 * <p>The transaction manager here is an in-process one installed through Seata's own holder ({@link
 * TransactionManagerHolder}): it begins and rolls back without a coordinator (no branch binds in
 * these cases, so there is nothing for a TC to cancel). The database, the mapper, the fence table
 * and the payment branch are the real ones.
 */
class ClaimReleaseOnRollbackIT {

  private static final AtomicReference<Runnable> BEFORE_TRY = new AtomicReference<>(() -> {});
  private static final AtomicLong XIDS = new AtomicLong(System.nanoTime() & 0xFFFFFFL);

  private static PaymentFixture fx;
  private static TransactionManager previous;
  private static final Map<String, GlobalStatus> ENDED = new HashMap<>();

  @BeforeAll
  static void openSchemaWithAnInProcessTransactionManager() {
    previous = TransactionManagerHolder.get();
    TransactionManagerHolder.set(
        new TransactionManager() {
          @Override
          public String begin(String app, String group, String name, int timeout) {
            return "127.0.0.1:8091:" + XIDS.incrementAndGet();
          }

          @Override
          public GlobalStatus commit(String xid) {
            ENDED.put(xid, GlobalStatus.Committed);
            return GlobalStatus.Committed;
          }

          @Override
          public GlobalStatus rollback(String xid) {
            ENDED.put(xid, GlobalStatus.Rollbacked);
            return GlobalStatus.Rollbacked;
          }

          @Override
          public GlobalStatus getStatus(String xid) {
            return ENDED.getOrDefault(xid, GlobalStatus.Begin);
          }

          @Override
          public GlobalStatus globalReport(String xid, GlobalStatus status) {
            return status;
          }
        });
    fx = new PaymentFixture("payment_rollback", ClaimReleaseOnRollbackIT::branch);
  }

  /** The real payment branch, run as the RM runs it (with the global xid), after a hook. */
  private static PaymentSettleAction branch(PaymentMapper payments) {
    PaymentSettleTcc real = new PaymentSettleTcc(payments);
    return new PaymentSettleAction() {
      @Override
      public void trySettle(
          BusinessActionContext ignored,
          String paymentNo,
          String targetStatus,
          String reason,
          String claimToken) {
        BEFORE_TRY.getAndSet(() -> {}).run();
        BusinessActionContext context = new BusinessActionContext();
        context.setXid(RootContext.getXID());
        context.setBranchId(XIDS.incrementAndGet());
        real.trySettle(context, paymentNo, targetStatus, reason, claimToken);
      }

      @Override
      public boolean confirm(BusinessActionContext context) {
        return real.confirm(context);
      }

      @Override
      public boolean cancel(BusinessActionContext context) {
        return real.cancel(context);
      }
    };
  }

  @AfterAll
  static void restore() {
    TransactionManagerHolder.set(previous);
    fx.close();
  }

  @Test
  void givenTheBranchIsRefusedBeforeItBinds_theClaimIsGivenBack_andTheCallerGetsATypedError() {
    fx.create("pay-refused", 800);
    BEFORE_TRY.set(
        () -> {
          // what Seata's TCC proxy throws when the coordinator refuses the branch registration
          throw new FrameworkException("TCC branch Register error, xid: " + RootContext.getXID());
        });

    assertThatThrownBy(
            () ->
                fx.service.completePayment(
                    "pay-refused",
                    fx.signed("pay-refused", PaymentFixture.BANK_A, "bk-r1", true, 800, null)))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.SERVICE_UNAVAILABLE));

    assertThat(fx.row("pay-refused"))
        .containsEntry("status", "CREATED")
        .containsEntry("xid", null)
        .containsEntry("claim_token", null)
        .containsEntry("bank_txn_no", null)
        .containsEntry("claimed_at", null);
    assertThat(fx.count("tcc_fence_log")).isZero();
  }

  @Test
  void givenAStalledCallbackWhoseClaimWasTakenOver_itsBindAndItsReleaseChangeNothing() {
    fx.create("pay-stalled", 900);
    AtomicReference<Map<String, Object>> secondClaim = new AtomicReference<>();
    BEFORE_TRY.set(
        () -> {
          // the first callback stalls past its lease: the reaper gives its claim back, and the
          // bank's repeated callback (another bank transaction here) claims the payment again
          fx.jdbc.update(
              "UPDATE payment_order SET claimed_at = NOW(3) - INTERVAL 1 HOUR"
                  + " WHERE payment_no = 'pay-stalled'");
          assertThat(fx.payments.releaseExpiredClaims(60)).isEqualTo(1);
          assertThat(
                  fx.payments.claim(
                      "pay-stalled", PaymentFixture.BANK_A, "bk-s2", "PAID", "second-owner", 60))
              .isEqualTo(1);
          secondClaim.set(fx.row("pay-stalled"));
        });

    assertThatThrownBy(
            () ->
                fx.service.completePayment(
                    "pay-stalled",
                    fx.signed("pay-stalled", PaymentFixture.BANK_A, "bk-s1", true, 900, null)))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.SERVICE_UNAVAILABLE));

    // the second callback's claim is as it left it: not bound to the first one's xid, not released
    assertThat(fx.row("pay-stalled"))
        .isEqualTo(secondClaim.get())
        .containsEntry("status", "PROCESSING")
        .containsEntry("xid", null)
        .containsEntry("claim_token", "second-owner")
        .containsEntry("bank_txn_no", "bk-s2");
  }
}
