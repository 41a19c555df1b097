package io.txcenter.payment.store;

/** A {@code payment_order} row. */
public record PaymentRecord(
    String paymentNo,
    String merchantId,
    long userId,
    String channelId,
    long amountCents,
    long awardPoints,
    String status,
    String xid,
    String bankTxnNo) {}
