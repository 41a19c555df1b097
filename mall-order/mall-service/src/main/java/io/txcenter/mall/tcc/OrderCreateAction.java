package io.txcenter.mall.tcc;

import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Records a mall order and its outbox events as one branch of the order's global transaction.
 * Confirm marks the order of the global transaction CONFIRMED and its events READY; Cancel marks
 * the order CANCELLED and its events DISCARDED. Both idempotent ({@link TccBranch}).
 */
@LocalTCC
public interface OrderCreateAction extends TccBranch {

  String NAME = "orderCreate";

  /**
   * Inserts the order TRYING with its lines, and {@code events} PREPARED in the mall's outbox (from
   * {@code Outbox.messages}, validated); a second order with the same number is refused.
   */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryCreate(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      long userId,
      long totalPoints,
      List<OrderLine> lines,
      List<OutboxMessage> events);
}
