package io.txcenter.mall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accompaniment events of an order, appended to the mall's outbox inside the order's global
 * transaction: {@code ORDER_PLACED} tagged {@code OPS} and {@code CS}, {@code POINTS_SPENT} tagged
 * {@code ORCH}. Business key: the order number.
 */
public final class OrderEvents {

  /** The outbox name: its relays' leader path and the Dubbo group of its business check. */
  public static final String OUTBOX = "mall";

  public static final String TOPIC = "accompaniment";
  public static final String TOPICS = "accompaniment:OPS|CS|ORCH";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;

  public OrderEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public void orderPlaced(PlaceOrderRequest request, long totalPoints) {
    outbox.append(messagesOf(request, totalPoints));
  }

  /** The events of one order: ORDER_PLACED (OPS, CS) and POINTS_SPENT (ORCH). */
  public static List<OutboxMessage> messagesOf(PlaceOrderRequest request, long totalPoints) {
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
        new OutboxMessage(TOPIC, List.of("OPS", "CS"), request.orderNo(), json(placed), headers),
        new OutboxMessage(TOPIC, List.of("ORCH"), request.orderNo(), json(spent), headers));
  }

  /** The outbox row's headers column for {@code headers}. */
  public static String headersJson(Map<String, String> headers) {
    try {
      return JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
