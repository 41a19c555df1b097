package io.txcenter.portal.api;

import java.io.Serializable;

/** Freeze {@code amount} of the quota of {@code channelId} for order {@code orderNo}. */
public record QuotaFreezeRequest(String channelId, String orderNo, long amount)
    implements Serializable {}
