package io.txcenter.mall.api;

import java.io.Serializable;

/**
 * Outcome of an order. {@code rejectCode} names why a CANCELLED order was refused inside its global
 * transaction (e.g. {@code QUOTA_EXHAUSTED}); {@code duplicate} says this call repeated an earlier
 * one and changed nothing.
 */
public record OrderResult(
    String orderNo,
    OrderStatus status,
    String rejectCode,
    long totalPoints,
    String xid,
    boolean duplicate)
    implements Serializable {}
