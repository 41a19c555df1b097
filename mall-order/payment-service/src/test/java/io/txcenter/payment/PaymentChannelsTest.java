package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.points.api.PointsService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 4: each unknown channel of a payment made a Dubbo reference and a ZooKeeper
 * consumer node that was never released (6 to 21 registrations in one run). Only a channel the
 * portal knows ever gets a reference, one per channel, and at most {@code maxChannels} of them.
 */
class PaymentChannelsTest {

  private final List<String> connected = new ArrayList<>();
  private final Function<String, PointsService> connect =
      channel -> {
        connected.add(channel);
        return (PointsService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {PointsService.class},
                (proxy, method, args) -> null);
      };

  @Test
  void givenFifteenUnknownChannels_noReferenceIsMade() {
    Participants.Portal portal = new Participants.Portal("ch-a", "ch-b");
    PaymentChannels channels = new PaymentChannels(portal, connect, 16);

    for (int i = 0; i < 15; i++) {
      String channel = "ch-unknown-" + i;
      assertThatThrownBy(() -> channels.points(channel))
          .isInstanceOfSatisfying(
              PaymentException.class,
              e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.UNKNOWN_CHANNEL));
    }

    assertThat(connected).isEmpty();
    assertThat(channels.references()).isZero();
  }

  @Test
  void givenKnownChannels_oneReferenceEach_readFromThePortalOnce() {
    Participants.Portal portal = new Participants.Portal("ch-a", "ch-b");
    PaymentChannels channels = new PaymentChannels(portal, connect, 16);

    for (int i = 0; i < 5; i++) {
      channels.points("ch-a");
      channels.points("ch-b");
    }

    assertThat(connected).containsExactly("ch-a", "ch-b");
    assertThat(portal.reads).hasValue(1);
  }

  @Test
  void givenMoreChannelsInUseThanTheCap_onlyTheCapIsReferenced_andTheRestUnavailable() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.add("ch-" + i);
    }
    PaymentChannels channels =
        new PaymentChannels(new Participants.Portal(many.toArray(String[]::new)), connect, 4);

    int referenced = 0;
    for (String channel : many) {
      try {
        channels.points(channel);
        referenced++;
      } catch (PaymentException e) {
        assertThat(e.code()).isEqualTo(PaymentErrorCode.SERVICE_UNAVAILABLE);
      }
    }

    assertThat(referenced).isEqualTo(4);
    assertThat(channels.references()).isEqualTo(4);
  }
}
