package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.PlaceOrderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.dubbo.rpc.RpcException;
import org.example.gadget.Gadget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dubbo's serialization check, tried on a real provider: an argument holding an object of a class
 * outside txcenter's allow-list is refused while the request is decoded, nothing is changed, and
 * the provider goes on serving.
 */
@ExtendWith(SharedTopology.class)
class SerializationIT {

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anArgumentOfAForeignClass_isRefused_changesNothing_andTheProviderStillServes() {
    // straight to the mall's port without txcenter's signing filter, which would refuse to sign the
    // gadget before it left this JVM: what is tried here is the provider's own decoding
    MallService mall =
        ActAs.anonymous(MallService.class, null, SharedTopology.get().config().port("mall"));
    String orderNo = "ser-" + UUID.randomUUID();
    // the record's list is typed List<OrderLine> only at compile time: a hostile client sends
    // anything it likes in it
    List lines = new ArrayList<>();
    lines.add(new OrderLine(SharedTopology.A, 1));
    lines.add(new Gadget());
    PlaceOrderRequest hostile = new PlaceOrderRequest(orderNo, 42L, lines);

    assertThatThrownBy(() -> mall.placeOrder(hostile))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining(Gadget.class.getName())
        // Dubbo's serialization check, not a later failure inside the mall
        .hasMessageContaining("not in allow list");

    assertThatThrownBy(() -> SharedTopology.get().clients().mall().order(orderNo))
        .isInstanceOfSatisfying(
            MallException.class, e -> assertThat(e.code()).isEqualTo(MallErrorCode.UNKNOWN_ORDER));
  }
}
