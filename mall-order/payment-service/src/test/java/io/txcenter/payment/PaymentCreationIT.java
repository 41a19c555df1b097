package io.txcenter.payment;

import static io.txcenter.payment.BankResultValidationIT.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 4: payments that could never complete were accepted: to a merchant without an
 * account, or in a channel that does not exist. Both are refused at creation ({@code
 * UNKNOWN_MERCHANT}, {@code UNKNOWN_CHANNEL}) and no row is written.
 */
class PaymentCreationIT {

  private static PaymentFixture fx;

  @BeforeAll
  static void openSchema() {
    fx = new PaymentFixture("payment_create");
  }

  @AfterAll
  static void dropSchema() {
    fx.close();
  }

  @Test
  void givenAMerchantWithoutAnAccount_createPayment_isUnknownMerchant_andWritesNothing() {
    assertCode(
        () ->
            fx.service.createPayment(
                new CreatePaymentRequest("pay-no-merchant", "m-unopened", 7, "ch-a", 100, 1)),
        PaymentErrorCode.UNKNOWN_MERCHANT);

    assertThat(fx.payments.find("pay-no-merchant")).isNull();
  }

  @Test
  void givenAChannelThePortalDoesNotKnow_createPayment_isUnknownChannel_andWritesNothing() {
    assertCode(
        () ->
            fx.service.createPayment(
                new CreatePaymentRequest("pay-no-channel", "m-1", 7, "ch-zz", 100, 1)),
        PaymentErrorCode.UNKNOWN_CHANNEL);

    assertThat(fx.payments.find("pay-no-channel")).isNull();
  }

  @Test
  void givenAKnownMerchantAndChannel_createPayment_isCreated() {
    assertThat(
            fx.service
                .createPayment(new CreatePaymentRequest("pay-ok", "m-1", 7, "ch-a", 100, 1))
                .status())
        .isEqualTo(PaymentStatus.CREATED);
  }
}
