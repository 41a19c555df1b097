package io.txcenter.mall.api;

/** The mall: orders paid with points from one or more channels. */
public interface MallService {

  /** Largest number of points one order line may use. */
  long MAX_POINTS = 1_000_000_000L;

  /** Most channels one order may use. */
  int MAX_LINES = 16;

  /**
   * Places an order paid with points: checks quota and points, then in one global transaction
   * records the order, freezes the user's points in every channel of the order, then the channels'
   * portal quota, and confirms all or cancels all.
   *
   * <p>Idempotent by order number: a repeated call returns the first call's outcome with {@code
   * duplicate = true} and changes nothing.
   *
   * @return the outcome: {@code CONFIRMED}, or {@code CANCELLED} with the refusal code of a Try
   *     that failed inside the global transaction
   * @throws MallException refused before any change: {@code INVALID_REQUEST}, {@code
   *     INVALID_AMOUNT}, {@code UNKNOWN_CHANNEL}, {@code UNKNOWN_USER}, {@code
   *     INSUFFICIENT_POINTS}, {@code QUOTA_EXHAUSTED}, {@code SERVICE_UNAVAILABLE}
   */
  OrderResult placeOrder(PlaceOrderRequest request) throws MallException;

  /**
   * The current outcome of an order.
   *
   * @throws MallException {@code UNKNOWN_ORDER}, {@code INVALID_REQUEST}
   */
  OrderResult order(String orderNo) throws MallException;
}
