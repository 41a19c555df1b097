package io.txcenter.mall.api;

/** Lifecycle of an order: TRYING inside its global transaction, then CONFIRMED or CANCELLED. */
public enum OrderStatus {
  TRYING,
  CONFIRMED,
  CANCELLED
}
