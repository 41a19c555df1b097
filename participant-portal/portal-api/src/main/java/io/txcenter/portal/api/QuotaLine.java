package io.txcenter.portal.api;

import java.io.Serializable;

/** One line of a {@link QuotaFreezeRequest}: {@code amount} of the quota of {@code channelId}. */
public record QuotaLine(String channelId, long amount) implements Serializable {}
