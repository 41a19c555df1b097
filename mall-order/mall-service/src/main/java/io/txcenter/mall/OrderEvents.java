package io.txcenter.mall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderPlaced;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.mall.api.PointsSpent;
import io.txcenter.outbox.EventType;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accompaniment events of an order, written to the mall's outbox by the order's own branch
 * ({@code OrderCreateTcc}, one Try and one Confirm for the order and its events): {@code
 * ORDER_PLACED} tagged {@code OPS} and {@code CS}, {@code POINTS_SPENT} tagged {@code ORCH}.
 * Business key: the order number.
 */
public final class OrderEvents {

  /** The outbox name: its relays' leader path and the Dubbo group of its business check. */
  public static final String OUTBOX = "mall";

  public static final String TOPIC = "accompaniment";
  public static final String TOPICS = "accompaniment:OPS|CS|ORCH";

  public static final EventType<OrderPlaced> ORDER_PLACED =
      EventType.of(OrderPlaced.EVENT, OrderPlaced.class, TOPIC, "OPS", "CS");
  public static final EventType<PointsSpent> POINTS_SPENT =
      EventType.of(PointsSpent.EVENT, PointsSpent.class, TOPIC, "ORCH");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;

  public OrderEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  /**
   * The order's messages, validated by the outbox, for the order branch's Try to write ({@link
   * Outbox#prepareInBranch}).
   */
  public List<OutboxMessage> orderPlaced(PlaceOrderRequest request, long totalPoints) {
    return outbox.messages(request.orderNo(), eventsOf(request, totalPoints));
  }

  /** The events of one order: ORDER_PLACED (OPS, CS) and POINTS_SPENT (ORCH). */
  static List<EventType.Event<?>> eventsOf(PlaceOrderRequest request, long totalPoints) {
    Map<String, Long> byChannel = new LinkedHashMap<>();
    for (OrderLine line : request.lines()) {
      byChannel.put(line.channelId(), line.points());
    }
    return List.of(
        ORDER_PLACED.with(new OrderPlaced(request.orderNo(), request.userId(), totalPoints)),
        POINTS_SPENT.with(new PointsSpent(request.orderNo(), request.userId(), byChannel)));
  }

  /** The messages {@link #orderPlaced} gives, header {@code source=mall} as the outbox sets it. */
  public static List<OutboxMessage> messagesOf(PlaceOrderRequest request, long totalPoints) {
    Map<String, String> headers = Map.of("source", OUTBOX);
    return eventsOf(request, totalPoints).stream()
        .map(event -> event.message(request.orderNo(), headers))
        .toList();
  }

  /** The outbox row's headers column for {@code headers}. */
  public static String headersJson(Map<String, String> headers) {
    try {
      return JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
