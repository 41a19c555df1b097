package io.txcenter.portal.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** Freezes part of a channel's quota for the duration of a global transaction. */
@LocalTCC
public interface QuotaFreezeAction {

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

  /** Uses what this branch froze; idempotent. */
  boolean confirm(BusinessActionContext context);

  /** Releases what this branch froze, or nothing if Try never ran; idempotent. */
  boolean cancel(BusinessActionContext context);
}
