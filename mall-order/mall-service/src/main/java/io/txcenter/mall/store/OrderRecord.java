package io.txcenter.mall.store;

/** A {@code mall_order} row. */
public record OrderRecord(
    String orderNo, long userId, long totalPoints, String status, String xid, String rejectCode) {}
