package io.txcenter.mall;

import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.dubbo.rpc.RpcException;

/**
 * The channels the portal grants quota to, as the mall has seen them. The portal never takes a
 * channel back, so a channel seen once stays known: only a channel not seen yet costs a read of the
 * portal. Without it, every order without pre-check read the portal once (a fifth of its Dubbo
 * calls) just to refuse an unknown channel before any branch runs.
 */
final class KnownChannels {

  private final PortalService portal;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  KnownChannels(PortalService portal) {
    this.portal = portal;
  }

  /**
   * Returns normally when the portal knows every channel of {@code lines}.
   *
   * @throws MallException {@code UNKNOWN_CHANNEL} naming the first channel the portal does not
   *     know, {@code SERVICE_UNAVAILABLE} when the portal cannot be read
   */
  void require(List<OrderLine> lines) {
    for (OrderLine line : lines) {
      if (!known.contains(line.channelId())) {
        quotas();
        if (!known.contains(line.channelId())) {
          throw new MallException(
              MallErrorCode.UNKNOWN_CHANNEL, "no channel [" + line.channelId() + "]");
        }
      }
    }
  }

  /**
   * The quota of every channel, read from the portal now; remembers every channel it names.
   *
   * @throws MallException {@code SERVICE_UNAVAILABLE} when the portal cannot be read
   */
  Map<String, ChannelQuota> quotas() {
    Map<String, ChannelQuota> quotas;
    try {
      quotas =
          portal.quotas().stream()
              .collect(Collectors.toMap(ChannelQuota::channelId, Function.identity()));
    } catch (RpcException e) {
      throw MallServiceImpl.unavailable("portal", e);
    }
    known.addAll(quotas.keySet());
    return quotas;
  }
}
