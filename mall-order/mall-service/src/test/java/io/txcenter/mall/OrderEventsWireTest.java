package io.txcenter.mall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The typed events put on the wire exactly the bytes the Map-built payloads did (the audit and the
 * system tests read them with JSON_EXTRACT): same fields, order, types, routing and headers.
 */
class OrderEventsWireTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void givenSampleOrders_theTypedMessagesEqualTheMapBuiltOnes() throws Exception {
    List<PlaceOrderRequest> samples =
        List.of(
            new PlaceOrderRequest("O-1", 1, List.of(new OrderLine("c1", 7))),
            new PlaceOrderRequest(
                "O-2_x", Long.MAX_VALUE, List.of(new OrderLine("c2", 3), new OrderLine("c1", 5))),
            // a channel twice: the map keeps its first position and its last points, as before
            new PlaceOrderRequest(
                "O-3",
                42,
                List.of(new OrderLine("b", 1), new OrderLine("a", 2), new OrderLine("b", 9))));
    for (PlaceOrderRequest request : samples) {
      long total = request.lines().stream().mapToLong(OrderLine::points).sum();
      List<OutboxMessage> typed = OrderEvents.messagesOf(request, total);
      List<OutboxMessage> before = mapBuilt(request, total);
      assertThat(typed).as(request.orderNo()).isEqualTo(before);
    }
    assertThat(
            OrderEvents.messagesOf(
                    new PlaceOrderRequest("O-1", 1, List.of(new OrderLine("c1", 7))), 7)
                .get(1)
                .payload())
        .isEqualTo(
            "{\"event\":\"POINTS_SPENT\",\"orderNo\":\"O-1\",\"userId\":1,\"points\":{\"c1\":7}}");
  }

  /** OrderEvents.messagesOf as it was before the typed events (commit 1995a6c). */
  private static List<OutboxMessage> mapBuilt(PlaceOrderRequest request, long totalPoints)
      throws Exception {
    Map<String, Object> placed = new LinkedHashMap<>();
    placed.put("event", "ORDER_PLACED");
    placed.put("orderNo", request.orderNo());
    placed.put("userId", request.userId());
    placed.put("totalPoints", totalPoints);
    Map<String, Long> byChannel = new LinkedHashMap<>();
    for (OrderLine line : request.lines()) {
      byChannel.put(line.channelId(), line.points());
    }
    Map<String, Object> spent = new LinkedHashMap<>();
    spent.put("event", "POINTS_SPENT");
    spent.put("orderNo", request.orderNo());
    spent.put("userId", request.userId());
    spent.put("points", byChannel);
    Map<String, String> headers = Map.of("source", "mall");
    return List.of(
        new OutboxMessage(
            "accompaniment",
            List.of("OPS", "CS"),
            request.orderNo(),
            JSON.writeValueAsString(placed),
            headers),
        new OutboxMessage(
            "accompaniment",
            List.of("ORCH"),
            request.orderNo(),
            JSON.writeValueAsString(spent),
            headers));
  }
}
