package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which bank results verify: exactly those signed, field for field, by the bank's secret. */
class BankKeysTest {

  private static final String KEY = Secrets.randomToken(32);
  private static final String OLD_KEY = Secrets.randomToken(32);

  private final Map<String, String> secrets = new HashMap<>(Map.of("bank.bank-a.secret", KEY));
  private final BankKeys banks = new BankKeys(name -> Optional.ofNullable(secrets.get(name)));

  private static final BankResult PAID = BankResult.unsigned("bank-a", "bk-1", true, 500, null);

  @Test
  void givenTheBanksSignature_ofEveryField_theResultVerifies() {
    assertThat(banks.verify("pay-1", sign(KEY, "pay-1", PAID))).isTrue();
    BankResult declined = BankResult.unsigned("bank-a", "bk-2", false, 500, "card declined");
    assertThat(banks.verify("pay-1", sign(KEY, "pay-1", declined))).isTrue();
  }

  @Test
  void givenNoSignature_orAnotherKeys_theResultDoesNotVerify() {
    assertThat(banks.verify("pay-1", PAID)).isFalse();
    assertThat(banks.verify("pay-1", PAID.withSignature(""))).isFalse();
    assertThat(banks.verify("pay-1", sign(Secrets.randomToken(32), "pay-1", PAID))).isFalse();
    // a signature is not a bearer token: the one of another result is no good either
    String other = sign(KEY, "pay-2", PAID).signature();
    assertThat(banks.verify("pay-1", PAID.withSignature(other))).isFalse();
  }

  @Test
  void givenASignedResult_withAnyFieldChanged_itDoesNotVerify() {
    BankResult signed = sign(KEY, "pay-1", PAID);
    String signature = signed.signature();

    assertThat(banks.verify("pay-2", signed)).as("another payment").isFalse();
    assertThat(banks.verify("pay-1", tampered(signature, "bank-a", "bk-9", true, 500, null)))
        .as("another bank transaction")
        .isFalse();
    assertThat(banks.verify("pay-1", tampered(signature, "bank-a", "bk-1", false, 500, null)))
        .as("another status")
        .isFalse();
    assertThat(banks.verify("pay-1", tampered(signature, "bank-a", "bk-1", true, 50_000, null)))
        .as("another amount")
        .isFalse();
    assertThat(banks.verify("pay-1", tampered(signature, "bank-a", "bk-1", true, 500, "")))
        .as("a reason added")
        .isFalse();
  }

  @Test
  void givenABankWithoutASecret_nothingItSendsVerifies_evenSignedWithAnotherBanksKey() {
    BankResult fromB = BankResult.unsigned("bank-b", "bk-1", true, 500, null);

    assertThat(banks.verify("pay-1", sign(KEY, "pay-1", fromB))).isFalse();
  }

  @Test
  void givenARotation_thePreviousSecretIsAccepted_untilItIsRemoved() {
    secrets.put("bank.bank-a.secret.previous", OLD_KEY);
    BankResult signedWithOld = sign(OLD_KEY, "pay-1", PAID);

    assertThat(banks.verify("pay-1", signedWithOld)).isTrue();
    assertThat(banks.verify("pay-1", sign(KEY, "pay-1", PAID))).isTrue();

    secrets.remove("bank.bank-a.secret.previous");
    assertThat(banks.verify("pay-1", signedWithOld)).isFalse();
  }

  private static BankResult tampered(
      String signature, String bank, String txn, boolean success, long cents, String reason) {
    return new BankResult(bank, txn, success, cents, reason, signature);
  }

  private static BankResult sign(String key, String paymentNo, BankResult result) {
    return result.withSignature(Hmac.sign(key, BankSignature.canonical(paymentNo, result)));
  }
}
