package io.txcenter.mall.api;

/**
 * The mall: orders paid with points from one or more channels.
 *
 * <p>Errors: every method throws only {@link MallException}, or Dubbo's {@code RpcException} for a
 * call that never reached the mall (unreachable, refused by authentication or by the serialization
 * check). A request holding a value of a class the API does not name is refused {@code
 * INVALID_REQUEST}; an unexpected failure inside the mall is {@code TRANSACTION_FAILED}. Messages
 * echo at most 64 characters of any value the caller sent.
 */
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
   * <p>Idempotent by order number: a repeat of the same request (same user, same lines; the lines
   * are a set of one line per channel, so their order does not matter) returns the first call's
   * outcome with {@code duplicate = true} and changes nothing, also when it races the first call. A
   * call that reuses an order number with another user or other lines is refused {@code
   * DUPLICATE_ORDER} and changes nothing.
   *
   * @return the outcome: {@code CONFIRMED}, or {@code CANCELLED} with the refusal code of a Try
   *     that failed inside the global transaction
   * @throws MallException refused before any change: {@code INVALID_REQUEST}, {@code
   *     INVALID_AMOUNT}, {@code UNKNOWN_CHANNEL}, {@code UNKNOWN_USER}, {@code
   *     INSUFFICIENT_POINTS}, {@code QUOTA_EXHAUSTED}, {@code SERVICE_UNAVAILABLE}, {@code
   *     DUPLICATE_ORDER} (the number is taken by an order of other content); {@code
   *     TRANSACTION_FAILED} when the order could not be recorded
   */
  OrderResult placeOrder(PlaceOrderRequest request) throws MallException;

  /**
   * The current outcome of an order.
   *
   * @throws MallException {@code UNKNOWN_ORDER}, {@code INVALID_REQUEST}
   */
  OrderResult order(String orderNo) throws MallException;
}
