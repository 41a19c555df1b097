package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.kit.validation.Ids;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.PaymentService;
import org.junit.jupiter.api.Test;

/**
 * The payment api keeps its own copies of the identifier rules (api jars do not depend on the kit),
 * and the service checks with {@link Ids} but documents the api's rules: they must stay equal.
 */
class IdRulesTest {

  @Test
  void theApiRulesEqualTheKitRules() {
    assertThat(PaymentService.KEY).isEqualTo(Ids.KEY);
    assertThat(PaymentService.CHANNEL).isEqualTo(Ids.CHANNEL);
    assertThat(BankSignature.BANK_ID).isEqualTo(Ids.CHANNEL);
  }
}
