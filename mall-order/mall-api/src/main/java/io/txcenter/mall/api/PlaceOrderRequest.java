package io.txcenter.mall.api;

import java.io.Serializable;
import java.util.List;

/** An order of {@code userId}, paid with points from each channel of {@code lines}. */
public record PlaceOrderRequest(String orderNo, long userId, List<OrderLine> lines)
    implements Serializable {}
