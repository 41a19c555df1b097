package io.txcenter.mall.api;

import java.io.Serializable;

/** Points of one channel used by an order. */
public record OrderLine(String channelId, long points) implements Serializable {}
