package io.txcenter.mall.api;

/**
 * Event {@code ORDER_PLACED} of the mall's outbox (topic {@code accompaniment}, tags {@code OPS}
 * and {@code CS}, business key the order number): an order committed, for {@code totalPoints}
 * across its channels. The payload's fields are these components, in this order.
 */
public record OrderPlaced(String orderNo, long userId, long totalPoints) {

  /** The event's name on the wire (the payload's {@code event} field). */
  public static final String EVENT = "ORDER_PLACED";
}
