package io.txcenter.mall.api;

import java.util.Map;

/**
 * Event {@code POINTS_SPENT} of the mall's outbox (topic {@code accompaniment}, tag {@code ORCH},
 * business key the order number): the points an order spent, by channel in the order of its lines.
 * The payload's fields are these components, in this order.
 */
public record PointsSpent(String orderNo, long userId, Map<String, Long> points) {

  /** The event's name on the wire (the payload's {@code event} field). */
  public static final String EVENT = "POINTS_SPENT";
}
