package io.txcenter.payment.tcc;

import io.txcenter.kit.tcc.TccBranch;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Settles a claimed payment order as a branch of the bank callback's global transaction. Confirm
 * gives the order its target status (PAID or FAILED); Cancel puts it back to CREATED, so that a
 * later callback can complete it. Both idempotent ({@link TccBranch}).
 */
@LocalTCC
public interface PaymentSettleAction extends TccBranch {

  String NAME = "paymentSettle";

  /**
   * Binds the claimed (PROCESSING) order to this transaction with the status Confirm will set, if
   * the claim is still {@code claimToken}'s; otherwise (the claim expired and another callback took
   * it over) it fails and changes nothing.
   */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void trySettle(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "paymentNo") String paymentNo,
      String targetStatus,
      String reason,
      String claimToken);
}
