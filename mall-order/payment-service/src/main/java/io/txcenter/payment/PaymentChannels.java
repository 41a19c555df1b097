package io.txcenter.payment;

import io.txcenter.kit.Echo;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels a payment may award points in: those the portal knows (the approach of the mall's
 * {@code KnownChannels}: the portal's {@code quotas()} is read again when a channel is not known
 * yet, and every channel it names is remembered), and the points reference of each. Only a channel
 * the portal knows ever gets a Dubbo reference (and with it a ZooKeeper consumer node), and at most
 * {@code maxChannels} of them (past that, {@code SERVICE_UNAVAILABLE} and an ERROR line): an
 * unknown channel id costs one portal read and nothing else, so the set of references stays bounded
 * whatever callers send.
 */
final class PaymentChannels {

  private static final Logger log = LoggerFactory.getLogger(PaymentChannels.class);

  private final PortalService portal;
  private final Function<String, PointsService> connect;
  private final int maxChannels;
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, PointsService> references = new ConcurrentHashMap<>();

  PaymentChannels(PortalService portal, Function<String, PointsService> connect, int maxChannels) {
    this.portal = portal;
    this.connect = connect;
    this.maxChannels = maxChannels;
  }

  /**
   * Returns normally when the portal knows {@code channelId}.
   *
   * @throws PaymentException {@code UNKNOWN_CHANNEL}, or {@code SERVICE_UNAVAILABLE} when the
   *     portal cannot be read
   */
  void require(String channelId) {
    if (known.contains(channelId)) {
      return;
    }
    try {
      // bounded by the portal's channels, which operators create, not by what callers send
      for (ChannelQuota quota : portal.quotas()) {
        known.add(quota.channelId());
      }
    } catch (RpcException e) {
      throw new PaymentException(
          PaymentErrorCode.SERVICE_UNAVAILABLE,
          "portal: " + Echo.cut(String.valueOf(e.getMessage())));
    }
    if (!known.contains(channelId)) {
      throw new PaymentException(
          PaymentErrorCode.UNKNOWN_CHANNEL,
          "no channel [" + Echo.cut(channelId) + "] at the portal");
    }
  }

  /**
   * The points service of a channel the portal knows (checked again here: a payment created before
   * the check existed may name any channel).
   */
  PointsService points(String channelId) {
    require(channelId);
    PointsService points = references.get(channelId);
    if (points != null) {
      return points;
    }
    synchronized (references) {
      if (!references.containsKey(channelId) && references.size() >= maxChannels) {
        log.error(
            "payment points reference refused channel={} references={} max={}"
                + " (raise txc.payment.max-channels)",
            channelId,
            references.size(),
            maxChannels);
        throw new PaymentException(
            PaymentErrorCode.SERVICE_UNAVAILABLE,
            "more than " + maxChannels + " channels in use; channel [" + channelId + "]");
      }
      return references.computeIfAbsent(channelId, connect);
    }
  }

  /** How many points references exist (for tests and the bound's proof). */
  int references() {
    return references.size();
  }
}
