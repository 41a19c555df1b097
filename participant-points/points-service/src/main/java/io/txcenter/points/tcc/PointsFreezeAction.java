package io.txcenter.points.tcc;

import io.txcenter.kit.tcc.TccBranch;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Freezes a user's points in one channel for the duration of a global transaction. Confirm spends
 * what the branch froze; Cancel releases it, or nothing if the Try never ran. Both idempotent
 * ({@link TccBranch}).
 */
@LocalTCC
public interface PointsFreezeAction extends TccBranch {

  String NAME = "pointsFreeze";

  /**
   * Reserves points (available to frozen) and records the reservation under its branch. Refused
   * after the branch was cancelled (fence).
   */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryFreeze(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "channelId") String channelId,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      @BusinessActionContextParameter(paramName = "userId") long userId,
      @BusinessActionContextParameter(paramName = "points") long points);
}
