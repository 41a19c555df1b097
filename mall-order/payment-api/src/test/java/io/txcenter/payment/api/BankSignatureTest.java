package io.txcenter.payment.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The canonical text of a bank result: one text per result, and no two results share one. */
class BankSignatureTest {

  @Test
  void givenAResult_theCanonicalText_isTheVersionThenEachFieldLengthPrefixed() {
    BankResult result = BankResult.unsigned("demo-bank", "bk-123", true, 12_000, null);

    assertThat(BankSignature.canonical("pay-000001", result))
        .isEqualTo(
            "txc-bank-result-v1\n10:pay-000001\n9:demo-bank\n6:bk-123\n7:SUCCESS\n5:12000\n-\n");
  }

  @Test
  void givenFieldsThatWouldRunTogetherWithASeparator_theTextsDiffer() {
    // "a\n1:b" + "c" versus "a" + "b\n1:c": with plain separators both could read the same
    String one = BankSignature.canonical("p", BankResult.unsigned("bank", "x\n1:y", false, 1, "z"));
    String two = BankSignature.canonical("p", BankResult.unsigned("bank", "x", false, 1, "y\n1:z"));

    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void givenAnAbsentReason_itDiffersFromAnEmptyOne_andMultiByteTextIsCountedInBytes() {
    String absent = BankSignature.canonical("p", BankResult.unsigned("b", "t", false, 1, null));
    String empty = BankSignature.canonical("p", BankResult.unsigned("b", "t", false, 1, ""));

    assertThat(absent).isNotEqualTo(empty).endsWith("\n-\n");
    assertThat(empty).endsWith("\n0:\n");
    assertThat(
            BankSignature.canonical("p", BankResult.unsigned("b", "t", false, 1, "carte refusée")))
        .endsWith("\n14:carte refusée\n");
  }

  @Test
  void givenTheStatus_amountOrPayment_changed_theTextChanges() {
    BankResult paid = BankResult.unsigned("b", "t", true, 100, null);
    String base = BankSignature.canonical("p-1", paid);

    assertThat(BankSignature.canonical("p-2", paid)).isNotEqualTo(base);
    assertThat(BankSignature.canonical("p-1", BankResult.unsigned("b", "t", false, 100, null)))
        .isNotEqualTo(base);
    assertThat(BankSignature.canonical("p-1", BankResult.unsigned("b", "t", true, 1000, null)))
        .isNotEqualTo(base);
  }

  @Test
  void givenASignature_itIsNotPartOfTheText_norOfTheResultsPrintout() {
    BankResult signed = BankResult.unsigned("b", "t", true, 100, null).withSignature("sig-value");

    assertThat(BankSignature.canonical("p", signed))
        .isEqualTo(BankSignature.canonical("p", BankResult.unsigned("b", "t", true, 100, null)));
    assertThat(signed.toString()).doesNotContain("sig-value").contains("signed=true");
    assertThat(BankSignature.secretName("demo-bank")).isEqualTo("bank.demo-bank.secret");
  }
}
