package io.txcenter.mall.tcc;

import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.mall.api.OrderLine;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Records a mall order as its own branch of the order's global transaction. Confirm marks the order
 * of the global transaction CONFIRMED; Cancel marks it CANCELLED. Both idempotent ({@link
 * TccBranch}).
 */
@LocalTCC
public interface OrderCreateAction extends TccBranch {

  String NAME = "orderCreate";

  /** Inserts the order TRYING with its lines; a second order with the same number is refused. */
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
      List<OrderLine> lines);
}
