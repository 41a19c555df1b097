package io.txcenter.portal.api;

import java.io.Serializable;

/** Quota of one channel; available + frozen + used = granted. */
public record ChannelQuota(String channelId, long granted, long available, long frozen, long used)
    implements Serializable {}
