package io.txcenter.payment;

import static io.txcenter.payment.BankResultValidationIT.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.api.PaymentView;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 13, defect 3: a bank result that contradicts the payment (success after FAILED, failure
 * after PAID) was answered with the old state as a duplicate and forgotten. It is now refused with
 * {@code CONFLICTING_BANK_RESULT}, recorded in {@code payment_conflict}, and alerted (ERROR, key
 * {@code payment-conflict}); an identical repeat stays an idempotent duplicate.
 */
class ConflictingBankResultIT {

  private static PaymentFixture fx;
  private final ListAppender<ILoggingEvent> alerts = new ListAppender<>();

  @BeforeAll
  static void openSchema() {
    fx = new PaymentFixture("payment_conflict");
  }

  @AfterAll
  static void dropSchema() {
    fx.close();
  }

  @BeforeEach
  void captureAlerts() {
    alerts.start();
    ((Logger) LoggerFactory.getLogger(PaymentAlerts.class)).addAppender(alerts);
    fx.jdbc.update("DELETE FROM payment_conflict");
  }

  @AfterEach
  void stopCapturing() {
    ((Logger) LoggerFactory.getLogger(PaymentAlerts.class)).detachAppender(alerts);
  }

  @Test
  void givenAFailedPayment_aSuccessIsAConflict_recordedAndAlerted_andTheRowIsUnchanged() {
    fx.create("pay-failed", 400);
    fx.settled("pay-failed", PaymentFixture.BANK_A, "bk-f", "FAILED");
    Map<String, Object> before = fx.row("pay-failed");

    assertCode(
        () ->
            fx.service.completePayment(
                "pay-failed",
                fx.signed("pay-failed", PaymentFixture.BANK_A, "bk-f", true, 400, null)),
        PaymentErrorCode.CONFLICTING_BANK_RESULT);

    assertThat(fx.row("pay-failed")).isEqualTo(before);
    assertThat(fx.conflicts())
        .containsExactly(
            Map.of(
                "payment_no", "pay-failed",
                "bank_id", "bank-a",
                "bank_txn_no", "bk-f",
                "reported_status", "PAID",
                "recorded_status", "FAILED",
                "recorded_bank_txn_no", "bk-f"));
    assertAlerted("pay-failed");
  }

  @Test
  void givenAPaidPayment_aFailureOrAnotherBankTransactionIsAConflict() {
    fx.create("pay-paid", 600);
    fx.settled("pay-paid", PaymentFixture.BANK_A, "bk-p", "PAID");
    Map<String, Object> before = fx.row("pay-paid");

    assertCode(
        () ->
            fx.service.completePayment(
                "pay-paid",
                fx.signed("pay-paid", PaymentFixture.BANK_A, "bk-p", false, 600, "reversed")),
        PaymentErrorCode.CONFLICTING_BANK_RESULT);
    assertCode(
        () ->
            fx.service.completePayment(
                "pay-paid",
                fx.signed("pay-paid", PaymentFixture.BANK_A, "bk-p-again", true, 600, null)),
        PaymentErrorCode.CONFLICTING_BANK_RESULT);

    assertThat(fx.row("pay-paid")).isEqualTo(before);
    assertThat(fx.conflicts())
        .extracting(row -> row.get("reported_status") + " " + row.get("bank_txn_no"))
        .containsExactly("FAILED bk-p", "PAID bk-p-again");
    assertThat(alerts.list).hasSize(2);
  }

  @Test
  void givenAnIdenticalRepeat_itIsAnIdempotentDuplicate_notAConflict() {
    fx.create("pay-repeat", 700);
    fx.settled("pay-repeat", PaymentFixture.BANK_A, "bk-r", "PAID");
    fx.create("pay-repeat-f", 700);
    fx.settled("pay-repeat-f", PaymentFixture.BANK_A, "bk-rf", "FAILED");

    PaymentView paid =
        fx.service.completePayment(
            "pay-repeat", fx.signed("pay-repeat", PaymentFixture.BANK_A, "bk-r", true, 700, null));
    PaymentView failed =
        fx.service.completePayment(
            "pay-repeat-f",
            fx.signed("pay-repeat-f", PaymentFixture.BANK_A, "bk-rf", false, 700, "declined"));

    assertThat(paid.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(paid.duplicate()).isTrue();
    assertThat(failed.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(failed.duplicate()).isTrue();
    assertThat(fx.conflicts()).isEmpty();
    assertThat(alerts.list).isEmpty();
  }

  @Test
  void givenAClaimInFlight_theOppositeResultIsAConflict_andTheSameOneADuplicate() {
    fx.create("pay-inflight", 800);
    fx.payments.claim("pay-inflight", "bank-a", "bk-i", "PAID", "t-inflight", 60);

    PaymentView same =
        fx.service.completePayment(
            "pay-inflight",
            fx.signed("pay-inflight", PaymentFixture.BANK_A, "bk-i", true, 800, null));
    assertThat(same.status()).isEqualTo(PaymentStatus.PROCESSING);
    assertThat(same.duplicate()).isTrue();

    assertCode(
        () ->
            fx.service.completePayment(
                "pay-inflight",
                fx.signed("pay-inflight", PaymentFixture.BANK_A, "bk-i", false, 800, "declined")),
        PaymentErrorCode.CONFLICTING_BANK_RESULT);
    assertThat(fx.conflicts())
        .extracting(row -> row.get("reported_status") + " " + row.get("recorded_status"))
        .containsExactly("FAILED PAID");
  }

  private void assertAlerted(String paymentNo) {
    assertThat(alerts.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.ERROR);
              assertThat(event.getFormattedMessage())
                  .startsWith("ALERT payment-conflict ")
                  .contains("payment=" + paymentNo);
            });
  }
}
