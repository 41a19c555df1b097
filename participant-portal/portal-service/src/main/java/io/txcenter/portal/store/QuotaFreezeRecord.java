package io.txcenter.portal.store;

/** What one Try reserved ({@code quota_freeze} row), keyed by its branch. */
public record QuotaFreezeRecord(
    String xid, long branchId, String channelId, String orderNo, long amount, String status) {

  public static final String TRIED = "TRIED";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
}
