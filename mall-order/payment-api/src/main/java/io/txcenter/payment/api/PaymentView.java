package io.txcenter.payment.api;

import java.io.Serializable;

/** A payment order as it stands; {@code duplicate}: this call repeated an earlier one. */
public record PaymentView(
    String paymentNo,
    PaymentStatus status,
    String merchantId,
    long userId,
    String channelId,
    long amountCents,
    long awardPoints,
    String bankTxnNo,
    String xid,
    boolean duplicate)
    implements Serializable {}
