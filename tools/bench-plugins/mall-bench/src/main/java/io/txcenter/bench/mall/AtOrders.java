package io.txcenter.bench.mall;

import io.txcenter.bench.api.AtOrderService;
import io.txcenter.bench.api.OrderBenchService;
import io.txcenter.initiator.GlobalTransactionTemplate;
import io.txcenter.initiator.GlobalWork;
import io.txcenter.mall.MallServiceImpl;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.PlaceOrderRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AT arm ({@link AtOrderService}): the plain arm's order, run by a {@link BenchOrders} built on
 * the mall's pool behind Seata AT and calling the participants' AT exports, inside one global
 * transaction.
 */
public final class AtOrders implements AtOrderService {

  private static final Logger log = LoggerFactory.getLogger(AtOrders.class);

  private final OrderBenchService atPlain;
  private final GlobalTransactionTemplate transactions;

  /**
   * @param atPlain the plain arm on AT data sources: its {@code placePlain} is the transaction's
   *     work
   */
  public AtOrders(OrderBenchService atPlain, int timeoutMillis) {
    this.atPlain = atPlain;
    this.transactions =
        new GlobalTransactionTemplate(log, "bench AT order", "order", timeoutMillis);
  }

  @Override
  public OrderResult placeAt(PlaceOrderRequest request) {
    // refused before a transaction is begun, as the real order does
    MallServiceImpl.validate(request);
    return transactions.execute(
        "benchAt",
        request.orderNo(),
        new GlobalWork<>() {
          private OrderResult placed;

          @Override
          public RuntimeException coordinatorUnavailable(Exception cause) {
            return MallServiceImpl.coordinatorDown(cause);
          }

          @Override
          public void run(String xid) {
            placed = atPlain.placePlain(request);
          }

          @Override
          public OrderResult failed(String xid, RuntimeException cause) {
            log.info(
                "bench AT order rolled back xid={} order={} cause={}",
                xid,
                request.orderNo(),
                cause.toString());
            if (cause instanceof MallException refusal) {
              throw refusal;
            }
            // e.g. a global lock not had in time: typed before it crosses Dubbo
            throw new MallException(
                MallErrorCode.TRANSACTION_FAILED, "rolled back: " + cause.getMessage());
          }

          @Override
          public OrderResult committed(String xid, Exception notAcknowledged) {
            if (notAcknowledged != null) {
              throw new MallException(
                  MallErrorCode.TRANSACTION_FAILED, "commit: " + notAcknowledged.getMessage());
            }
            return new OrderResult(
                placed.orderNo(),
                placed.status(),
                placed.rejectCode(),
                placed.totalPoints(),
                xid,
                placed.duplicate());
          }
        });
  }
}
