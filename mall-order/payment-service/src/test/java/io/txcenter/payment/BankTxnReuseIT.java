package io.txcenter.payment;

import static io.txcenter.payment.BankResultValidationIT.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/**
 * Issue 13, defect 2: one bank transaction number settled two payments (both PAID, the merchant
 * credited twice). A bank transaction (bank id, transaction number) settles at most one payment:
 * the service refuses the second with {@code BANK_TXN_REUSED} before claiming, and the database's
 * unique key refuses it even when two callbacks race past that check.
 */
class BankTxnReuseIT {

  private static PaymentFixture fx;

  @BeforeAll
  static void openSchema() {
    fx = new PaymentFixture("payment_bank_txn");
  }

  @AfterAll
  static void dropSchema() {
    fx.close();
  }

  @Test
  void givenABankTransactionThatPaidOnePayment_itIsRefusedForAnother_andNothingChanges() {
    fx.create("pay-first", 1_000);
    fx.create("pay-second", 1_000);
    fx.settled("pay-first", PaymentFixture.BANK_A, "bk-once", "PAID");
    Map<String, Object> first = fx.row("pay-first");
    Map<String, Object> second = fx.row("pay-second");

    assertCode(
        () ->
            fx.service.completePayment(
                "pay-second",
                fx.signed("pay-second", PaymentFixture.BANK_A, "bk-once", true, 1_000, null)),
        PaymentErrorCode.BANK_TXN_REUSED);
    // a failure report reusing it is refused alike
    assertCode(
        () ->
            fx.service.completePayment(
                "pay-second",
                fx.signed("pay-second", PaymentFixture.BANK_A, "bk-once", false, 1_000, "no")),
        PaymentErrorCode.BANK_TXN_REUSED);

    assertThat(fx.row("pay-first")).isEqualTo(first);
    assertThat(fx.row("pay-second")).isEqualTo(second).containsEntry("status", "CREATED");
    assertThat(fx.count("tcc_fence_log")).isZero();
  }

  @Test
  void givenTwoClaimsWithOneBankTransaction_theDatabaseRefusesTheSecond() {
    fx.create("pay-race-1", 100);
    fx.create("pay-race-2", 100);
    assertThat(fx.payments.claim("pay-race-1", "bank-a", "bk-race", "PAID", "t1", 60)).isEqualTo(1);

    // what a second callback that passed the service's check at the same moment would run
    assertThatThrownBy(() -> fx.payments.claim("pay-race-2", "bank-a", "bk-race", "PAID", "t2", 60))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(fx.row("pay-race-2")).containsEntry("status", "CREATED");
  }

  @Test
  void givenTheSameTransactionNumberFromAnotherBank_itIsAnotherBankTransaction() {
    fx.create("pay-bank-a", 200);
    fx.create("pay-bank-b", 200);
    fx.settled("pay-bank-a", PaymentFixture.BANK_A, "bk-shared", "PAID");

    // not refused as reused: it claims and goes on (no coordinator here, so it cannot begin)
    assertThatThrownBy(
            () ->
                fx.service.completePayment(
                    "pay-bank-b",
                    fx.signed("pay-bank-b", PaymentFixture.BANK_B, "bk-shared", true, 200, null)))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.SERVICE_UNAVAILABLE));
    assertThat(fx.row("pay-bank-b")).containsEntry("status", "CREATED");
  }
}
