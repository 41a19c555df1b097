package io.txcenter.payment.api;

import java.io.Serializable;

/**
 * What the bank reported for one payment: which bank ({@code bankId}), its transaction number,
 * success or not, the amount, a reason (required for a failure), and the bank's {@code signature}
 * over all of it and the payment number (see {@link BankSignature}).
 */
public record BankResult(
    String bankId,
    String bankTxnNo,
    boolean success,
    long amountCents,
    String reason,
    String signature)
    implements Serializable {

  /** An unsigned result, to be signed with {@link #withSignature}. */
  public static BankResult unsigned(
      String bankId, String bankTxnNo, boolean success, long amountCents, String reason) {
    return new BankResult(bankId, bankTxnNo, success, amountCents, reason, null);
  }

  /** This result carrying {@code signature}. */
  public BankResult withSignature(String signature) {
    return new BankResult(bankId, bankTxnNo, success, amountCents, reason, signature);
  }

  /**
   * Never prints the signature (a log line needs the fields, not the proof), and cuts each string
   * to 64 characters: a result is printed before its fields are checked.
   */
  @Override
  public String toString() {
    return "BankResult[bankId="
        + cut(bankId)
        + ", bankTxnNo="
        + cut(bankTxnNo)
        + ", success="
        + success
        + ", amountCents="
        + amountCents
        + ", reason="
        + cut(reason)
        + ", signed="
        + (signature != null)
        + "]";
  }

  private static String cut(String value) {
    return value == null || value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }
}
