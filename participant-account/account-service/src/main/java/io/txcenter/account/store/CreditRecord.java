package io.txcenter.account.store;

/** What one Try credited as pending ({@code account_credit} row), keyed by its branch. */
public record CreditRecord(
    String xid, long branchId, String accountId, String bizNo, long amount, String status) {

  public static final String TRIED = "TRIED";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
}
