package io.txcenter.mall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.Test;

class KnownChannelsTest {

  private final FakePortal portal = new FakePortal();
  private final KnownChannels channels = new KnownChannels(portal);

  @Test
  void givenAKnownChannel_require_readsThePortalOnlyOnce() {
    portal.channels.add("ch-a");

    channels.require(List.of(new OrderLine("ch-a", 5)));
    channels.require(List.of(new OrderLine("ch-a", 3)));

    assertThat(portal.reads).hasValue(1);
  }

  @Test
  void givenAnUnknownChannel_require_refusesItAfterAskingThePortalAgain() {
    portal.channels.add("ch-a");
    channels.require(List.of(new OrderLine("ch-a", 5)));

    assertThatThrownBy(() -> channels.require(List.of(new OrderLine("ch-a", 5), line("ch-zz"))))
        .isInstanceOfSatisfying(
            MallException.class, e -> assertThat(e.code()).isEqualTo(MallErrorCode.UNKNOWN_CHANNEL))
        .hasMessageContaining("[ch-zz]");
    assertThat(portal.reads).hasValue(2);
  }

  @Test
  void givenAChannelGrantedAfterTheFirstRead_require_findsIt() {
    portal.channels.add("ch-a");
    channels.require(List.of(line("ch-a")));
    portal.channels.add("ch-new");

    channels.require(List.of(line("ch-new")));

    assertThat(portal.reads).hasValue(2);
  }

  @Test
  void givenThePortalDown_require_isTypedUnavailable() {
    portal.down = true;

    assertThatThrownBy(() -> channels.require(List.of(line("ch-a"))))
        .isInstanceOfSatisfying(
            MallException.class,
            e -> assertThat(e.code()).isEqualTo(MallErrorCode.SERVICE_UNAVAILABLE));
  }

  private static OrderLine line(String channel) {
    return new OrderLine(channel, 1);
  }

  private static final class FakePortal implements PortalService {
    final List<String> channels = new ArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    boolean down;

    @Override
    public List<ChannelQuota> quotas() {
      if (down) {
        throw new RpcException("no provider");
      }
      reads.incrementAndGet();
      return channels.stream().map(c -> new ChannelQuota(c, 10, 10, 0, 0)).toList();
    }

    @Override
    public void tryFreezeQuota(QuotaFreezeRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelQuota quota(String channelId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelQuota grant(String channelId, long amount, String reason) {
      throw new UnsupportedOperationException();
    }
  }
}
