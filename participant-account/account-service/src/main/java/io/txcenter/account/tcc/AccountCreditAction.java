package io.txcenter.account.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** Credits an account for a global transaction: pending on Try, spendable only on Confirm. */
@LocalTCC
public interface AccountCreditAction {

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

  /** Moves what this branch credited from pending credit to balance; idempotent. */
  boolean confirm(BusinessActionContext context);

  /** Drops what this branch credited as pending, or nothing if Try never ran; idempotent. */
  boolean cancel(BusinessActionContext context);
}
