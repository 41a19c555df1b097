package io.txcenter.points.store;

/** What one credit Try recorded ({@code points_credit} row), keyed by its branch. */
public record CreditRecord(
    String xid,
    long branchId,
    String channelId,
    String bizNo,
    long userId,
    long points,
    String status) {

  public static final String TRIED = "TRIED";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
}
