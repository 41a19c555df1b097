package io.txcenter.points.store;

/** What one Try reserved ({@code points_freeze} row), keyed by its branch. */
public record FreezeRecord(
    String xid,
    long branchId,
    String channelId,
    String orderNo,
    long userId,
    long points,
    String status) {

  public static final String TRIED = "TRIED";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
}
