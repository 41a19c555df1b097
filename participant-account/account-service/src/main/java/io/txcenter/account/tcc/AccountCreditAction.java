package io.txcenter.account.tcc;

import io.txcenter.kit.tcc.TccBranch;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Credits an account for a global transaction: pending on Try, spendable only on Confirm, which
 * moves the branch's credit from pending to balance; Cancel drops it, or nothing if the Try never
 * ran. Both idempotent ({@link TccBranch}).
 */
@LocalTCC
public interface AccountCreditAction extends TccBranch {

  String NAME = "accountCredit";

  /**
   * Raises the account's pending credit and records the credit under its branch. Refused after the
   * branch was cancelled (fence).
   */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryCredit(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "accountId") String accountId,
      @BusinessActionContextParameter(paramName = "bizNo") String bizNo,
      @BusinessActionContextParameter(paramName = "amount") long amount);
}
