package io.txcenter.payment.api;

import java.nio.charset.StandardCharsets;

/**
 * The text a bank signs for one callback, shared by every bank (here the CLI acting as the bank)
 * and the payment service that checks it. The signature is HMAC-SHA256 of {@link #canonical} with
 * the bank's secret {@link #secretName bank.<bankId>.secret}, URL-safe base64 without padding
 * ({@code io.txcenter.secrets.Hmac}); the HMAC is computed by the caller so that this api jar stays
 * free of dependencies.
 *
 * <p>The canonical text is a version line, then each field as its length in UTF-8 bytes, a colon,
 * the field and a newline; an absent field is a single {@code -} and a newline. Lengths make every
 * field boundary explicit, so no value can shift text into its neighbour (a {@code bankTxnNo}
 * ending in a separator, a reason containing newlines), and {@code null} differs from empty:
 *
 * <pre>
 * txc-bank-result-v1
 * 10:pay-000001
 * 9:demo-bank
 * 6:bk-123
 * 7:SUCCESS
 * 5:12000
 * -
 * </pre>
 *
 * <p>Fields, in order: payment number, bank id, bank transaction number, {@code SUCCESS} or {@code
 * FAILURE}, amount in cents (decimal), reason. The signature field itself is not signed.
 */
public final class BankSignature {

  /**
   * First line of the canonical text: a new format gets a new version, never a reinterpretation.
   */
  public static final String VERSION = "txc-bank-result-v1";

  /** What a bank id looks like; it names the bank's secret. */
  public static final String BANK_ID = "[a-z0-9-]{1,32}";

  private BankSignature() {}

  /** The name of the secret bank {@code bankId} signs with: {@code bank.<bankId>.secret}. */
  public static String secretName(String bankId) {
    return "bank." + bankId + ".secret";
  }

  /**
   * The name of the bank's previous secret, still accepted while a rotation is under way: {@code
   * bank.<bankId>.secret.previous}.
   */
  public static String previousSecretName(String bankId) {
    return secretName(bankId) + ".previous";
  }

  /** The text signed for {@code result} of payment {@code paymentNo}. */
  public static String canonical(String paymentNo, BankResult result) {
    StringBuilder text = new StringBuilder(128).append(VERSION).append('\n');
    field(text, paymentNo);
    field(text, result.bankId());
    field(text, result.bankTxnNo());
    field(text, result.success() ? "SUCCESS" : "FAILURE");
    field(text, Long.toString(result.amountCents()));
    field(text, result.reason());
    return text.toString();
  }

  private static void field(StringBuilder text, String value) {
    if (value == null) {
      text.append("-\n");
      return;
    }
    text.append(value.getBytes(StandardCharsets.UTF_8).length)
        .append(':')
        .append(value)
        .append('\n');
  }
}
