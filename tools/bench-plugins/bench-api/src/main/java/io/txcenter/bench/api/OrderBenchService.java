package io.txcenter.bench.api;

import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import java.util.List;

/**
 * The benchmark's baselines of {@link MallService#placeOrder}: the same order without transaction
 * management, and in one local transaction; and a global transaction of a chosen number of TCC
 * branches. Not for business traffic: the plain path is not atomic.
 */
public interface OrderBenchService {

  /**
   * The plain arm: the same Dubbo calls and row updates as a confirmed {@code placeOrder} (order
   * and lines, the outbox messages, each channel's spend, each channel's quota use), each in its
   * own local transaction, with no TC, no fence and no Try/Confirm split. A failure part-way leaves
   * the earlier changes in place.
   *
   * @throws MallException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, or the participant's
   *     refusal
   */
  OrderResult placePlain(PlaceOrderRequest request) throws MallException;

  /**
   * The monolith arm: the same row updates in one local transaction on one database (the mall's
   * {@code monolith} schema, which holds points, quota, orders and outbox together).
   *
   * @throws MallException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     INSUFFICIENT_POINTS}, {@code QUOTA_EXHAUSTED}
   */
  OrderResult placeMonolith(PlaceOrderRequest request) throws MallException;

  /**
   * One global transaction of {@code branches} TCC branches, each a 1-point freeze of the user in
   * the first channel (keys {@code <orderNo>-b<i>}), then commit: how a transaction's cost grows
   * with its branches. Returns {@code CONFIRMED}, or {@code CANCELLED} if a Try failed.
   *
   * @throws MallException {@code INVALID_REQUEST} (branches outside [1, 16]), {@code
   *     SERVICE_UNAVAILABLE}
   */
  OrderStatus placeWithBranches(String orderNo, long userId, String channelId, int branches)
      throws MallException;

  /**
   * Grants {@code points} to each user and {@code quota} to each channel in the monolith schema.
   */
  void seedMonolith(List<String> channels, long firstUser, int users, long points, long quota)
      throws MallException;
}
