package io.txcenter.portal.tcc;

import io.txcenter.kit.tcc.TccBranch;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Freezes part of a channel's quota for the duration of a global transaction. Confirm uses what the
 * branch froze; Cancel releases it, or nothing if the Try never ran. Both idempotent ({@link
 * TccBranch}).
 */
@LocalTCC
public interface QuotaFreezeAction extends TccBranch {

  String NAME = "quotaFreeze";

  /**
   * Reserves quota (available to frozen) and records the reservation under its branch. Refused
   * after the branch was cancelled (fence).
   */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryFreezeQuota(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "channelId") String channelId,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      @BusinessActionContextParameter(paramName = "amount") long amount);
}
