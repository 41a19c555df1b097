package io.txcenter.bench.points;

import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.points.PointsServiceImpl;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.store.FreezeRecord;
import io.txcenter.points.store.PointsMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The direct spend of the benchmark's plain arm ({@link DirectPointsService}): the same checks as
 * the service's Try, then the rows a confirmed freeze leaves, in one local transaction.
 */
public final class DirectPoints implements DirectPointsService {

  private final String channelId;
  private final PointsServiceImpl service;
  private final PointsMapper points;
  private final TransactionTemplate local;

  public DirectPoints(
      String channelId,
      PointsServiceImpl service,
      PointsMapper points,
      PlatformTransactionManager transactions) {
    this.channelId = channelId;
    this.service = service;
    this.points = points;
    this.local = new TransactionTemplate(transactions);
    this.local.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  @Override
  public void spend(FreezeRequest request) {
    service.validate(request);
    local.executeWithoutResult(
        status -> {
          if (points.spendAvailable(request.channelId(), request.userId(), request.points()) == 0) {
            throw shortOf(request);
          }
          // the row a confirmed freeze leaves, so the same invariants (spent = confirmed rows) hold
          points.insertFreeze(
              new FreezeRecord(
                  "direct:" + request.orderNo(),
                  0,
                  request.channelId(),
                  request.orderNo(),
                  request.userId(),
                  request.points(),
                  FreezeRecord.CONFIRMED));
        });
  }

  private PointsException shortOf(FreezeRequest request) {
    if (points.find(request.channelId(), request.userId()) == null) {
      return new PointsException(
          PointsErrorCode.UNKNOWN_USER,
          channelId,
          "user [" + request.userId() + "] has no points in channel [" + channelId + "]");
    }
    return new PointsException(
        PointsErrorCode.INSUFFICIENT_POINTS,
        channelId,
        "user ["
            + request.userId()
            + "] has fewer than ["
            + request.points()
            + "] points in channel ["
            + channelId
            + "]");
  }
}
