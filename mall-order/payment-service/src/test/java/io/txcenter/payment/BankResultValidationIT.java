package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 1: a failed bank result whose reason did not fit {@code fail_reason
 * VARCHAR(256)} passed the checks, claimed the payment and failed in the Try, leaving it
 * PROCESSING. Every string field of a bank result is now checked against its column before anything
 * is claimed, and an error message never echoes more than 64 characters of a value.
 */
class BankResultValidationIT {

  private static PaymentFixture fx;

  @BeforeAll
  static void openSchema() {
    fx = new PaymentFixture("payment_validation");
  }

  @AfterAll
  static void dropSchema() {
    fx.close();
  }

  @Test
  void givenAFailureWhoseReasonIsOnePastItsColumn_itIsMalformed_andNothingIsClaimed() {
    fx.create("pay-long-reason", 1_000);
    Map<String, Object> before = fx.row("pay-long-reason");

    assertCode(
        () ->
            fx.service.completePayment(
                "pay-long-reason",
                fx.signed(
                    "pay-long-reason",
                    PaymentFixture.BANK_A,
                    "bk-long",
                    false,
                    1_000,
                    "x".repeat(257))),
        PaymentErrorCode.MALFORMED_BANK_RESULT);

    assertThat(fx.row("pay-long-reason")).isEqualTo(before).containsEntry("status", "CREATED");
    assertThat(fx.count("tcc_fence_log")).isZero();
    assertThat(fx.count("outbox_message")).isZero();
  }

  @Test
  void givenEveryFieldOnePastItsColumnOrOfTheWrongCharset_eachIsMalformed_andNothingIsClaimed() {
    fx.create("pay-fields", 500);
    Map<String, Object> before = fx.row("pay-fields");
    String a = PaymentFixture.BANK_A;
    BankResult[] malformed = {
      fx.signed("pay-fields", a, "b".repeat(65), true, 500, null), // bank_txn_no VARCHAR(64)
      fx.signed("pay-fields", a, "bk-ü", true, 500, null),
      BankResult.unsigned("b".repeat(33), "bk-1", true, 500, null), // bank_id VARCHAR(32)
      fx.signed("pay-fields", a, "bk-1", false, 500, "😀".repeat(257)), // 257 code points
      fx.signed("pay-fields", a, "bk-1", false, 500, "declined\nALERT forged log line"),
      fx.signed("pay-fields", a, "bk-1", false, 500, "half a pair \uD83D"),
      fx.signed("pay-fields", a, "bk-1", true, 500, "y".repeat(257)), // even on success
      fx.signed("pay-fields", a, "bk-1", true, 500, null).withSignature("s".repeat(513)),
    };
    for (BankResult result : malformed) {
      assertCode(
          () -> fx.service.completePayment("pay-fields", result),
          PaymentErrorCode.MALFORMED_BANK_RESULT);
    }
    assertThat(fx.row("pay-fields")).isEqualTo(before);
  }

  @Test
  void givenAReasonOfExactlyItsColumnsWidth_itIsNotMalformed_andAFailedAttemptGivesTheClaimBack() {
    fx.create("pay-256", 700);

    // no coordinator in this test: the transaction cannot begin, the claim is given back
    assertThatThrownBy(
            () ->
                fx.service.completePayment(
                    "pay-256",
                    fx.signed(
                        "pay-256", PaymentFixture.BANK_A, "bk-256", false, 700, "😀".repeat(256))))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.SERVICE_UNAVAILABLE));
    assertThat(fx.row("pay-256"))
        .containsEntry("status", "CREATED")
        .containsEntry("claim_token", null)
        .containsEntry("bank_txn_no", null);
  }

  @Test
  void givenAMillionCharacterValue_theErrorEchoesAtMost64CharactersOfIt() {
    String huge = "p".repeat(1_000_000);

    assertThatThrownBy(() -> fx.service.queryPayment(huge))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PaymentErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).hasSizeLessThan(200).contains("p".repeat(64) + "…");
            });
    assertThatThrownBy(
            () -> fx.service.createPayment(new CreatePaymentRequest("pay-x", "m-1", 7, huge, 1, 0)))
        .isInstanceOfSatisfying(
            PaymentException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(
            () ->
                fx.service.completePayment(
                    "pay-fields", BankResult.unsigned("bank-a", "bk-1", false, 500, huge)))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PaymentErrorCode.MALFORMED_BANK_RESULT);
              assertThat(e.getMessage()).hasSizeLessThan(600);
            });
  }

  static void assertCode(Runnable call, PaymentErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(PaymentException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
