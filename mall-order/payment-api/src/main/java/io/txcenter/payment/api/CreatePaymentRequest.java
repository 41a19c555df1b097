package io.txcenter.payment.api;

import java.io.Serializable;

/** A payment of {@code amountCents} by {@code userId} to {@code merchantId}, awarding points. */
public record CreatePaymentRequest(
    String paymentNo,
    String merchantId,
    long userId,
    String channelId,
    long amountCents,
    long awardPoints)
    implements Serializable {}
