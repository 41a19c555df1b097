package io.txcenter.fund.tcc;

import io.txcenter.kit.tcc.TccBranch;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * The main purchase of a discount purchase: Try freezes the investor's cash and records the
 * purchase under its branch; Confirm turns the frozen cash into wallet (money-market) units; Cancel
 * gives the cash back, or does nothing if the Try never ran. Both idempotent ({@link TccBranch}).
 */
@LocalTCC
public interface WalletPurchaseAction extends TccBranch {

  String NAME = "walletPurchase";

  /** Refused after the branch was cancelled (fence). */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryPurchase(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "purchaseNo") String purchaseNo,
      @BusinessActionContextParameter(paramName = "investorId") String investorId,
      @BusinessActionContextParameter(paramName = "targetFund") String targetFund,
      @BusinessActionContextParameter(paramName = "amount") long amount);
}
