package io.txcenter.points.api;

import java.io.Serializable;

/**
 * Award {@code points} to {@code userId} in {@code channelId} for business operation {@code bizNo}.
 */
public record CreditRequest(String channelId, String bizNo, long userId, long points)
    implements Serializable {}
