package io.txcenter.points.api;

import java.io.Serializable;

/** Points of one user in one channel; available + frozen + spent - credited = granted. */
public record PointsBalance(
    String channelId,
    long userId,
    long available,
    long frozen,
    long spent,
    long credited,
    long granted)
    implements Serializable {}
