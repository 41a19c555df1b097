package io.txcenter.payment.store;

/**
 * A {@code payment_order} row. {@code targetStatus}: the outcome the current claim reports (set by
 * the claim, kept when settled); {@code bankId}/{@code bankTxnNo}: the bank transaction that
 * claimed or settled it (none while CREATED).
 */
public record PaymentRecord(
    String paymentNo,
    String merchantId,
    long userId,
    String channelId,
    long amountCents,
    long awardPoints,
    String status,
    String xid,
    String bankTxnNo,
    String bankId,
    String targetStatus) {}
