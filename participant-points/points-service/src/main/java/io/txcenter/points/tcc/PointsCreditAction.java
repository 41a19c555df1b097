package io.txcenter.points.tcc;

import io.txcenter.kit.tcc.TccBranch;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Awards points to a user in one channel; they become spendable only when the branch commits.
 * Confirm adds the branch's award to available and credited; Cancel drops it. Both idempotent
 * ({@link TccBranch}).
 */
@LocalTCC
public interface PointsCreditAction extends TccBranch {

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
}
