package io.txcenter.bench.api;

import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;

/**
 * Points spent at once, with no global transaction, no fence and no Try/Confirm split: the same row
 * updates as a confirmed freeze (the user's balance, one {@code points_freeze} row, status {@code
 * CONFIRMED}) in one local transaction. It exists for the benchmark's plain arm, which measures
 * what the transaction management costs; an order must use {@link PointsService}. Exported under
 * the channel's Dubbo group, like {@link PointsService}.
 */
public interface DirectPointsService {

  /**
   * Spends {@code points} of the user for an order, all or nothing.
   *
   * @throws PointsException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_CHANNEL}, {@code UNKNOWN_USER}, {@code INSUFFICIENT_POINTS}
   */
  void spend(FreezeRequest request) throws PointsException;
}
