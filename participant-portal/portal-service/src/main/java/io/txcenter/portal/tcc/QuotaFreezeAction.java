package io.txcenter.portal.tcc;

import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.portal.api.QuotaLine;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Freezes an order's quota, one line per channel, as one branch of a global transaction. Confirm
 * uses what the branch froze; Cancel releases it, or nothing if the Try never ran. Both idempotent
 * ({@link TccBranch}).
 */
@LocalTCC
public interface QuotaFreezeAction extends TccBranch {

  String NAME = "quotaFreeze";

  /**
   * Reserves each line's quota (available to frozen) and records one reservation row per line under
   * its branch, all or none. {@code lines} are validated, of distinct channels, ordered by channel
   * (the order in which the channels' rows are locked, so two orders never deadlock). Refused after
   * the branch was cancelled (fence).
   */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryFreezeQuota(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      List<QuotaLine> lines);
}
