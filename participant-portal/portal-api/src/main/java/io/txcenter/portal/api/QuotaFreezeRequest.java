package io.txcenter.portal.api;

import java.io.Serializable;
import java.util.List;

/**
 * Freeze, for order {@code orderNo}, the quota of each line: {@code amount} of channel {@code
 * channelId}, one line per channel, at most {@link PortalService#MAX_LINES} lines.
 */
public record QuotaFreezeRequest(String orderNo, List<QuotaLine> lines) implements Serializable {}
