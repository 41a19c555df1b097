package io.txcenter.points.api;

import java.io.Serializable;

/** Freeze {@code points} of {@code userId} in {@code channelId} for order {@code orderNo}. */
public record FreezeRequest(String channelId, String orderNo, long userId, long points)
    implements Serializable {}
