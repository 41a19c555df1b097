package io.txcenter.points.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** Awards points to a user in one channel; they become spendable only when the branch commits. */
@LocalTCC
public interface PointsCreditAction {

  String NAME = "pointsCredit";

  /** Records the award, pending; refused after the branch was cancelled (fence). */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryCredit(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "channelId") String channelId,
      @BusinessActionContextParameter(paramName = "bizNo") String bizNo,
      @BusinessActionContextParameter(paramName = "userId") long userId,
      @BusinessActionContextParameter(paramName = "points") long points);

  /** Adds this branch's award to available and credited; idempotent. */
  boolean confirm(BusinessActionContext context);

  /** Drops this branch's award; idempotent. */
  boolean cancel(BusinessActionContext context);
}
