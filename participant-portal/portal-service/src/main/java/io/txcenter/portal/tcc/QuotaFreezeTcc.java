package io.txcenter.portal.tcc;

import io.txcenter.kit.tcc.BranchRecordTcc;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.portal.store.QuotaBranch;
import io.txcenter.portal.store.QuotaFreezeRecord;
import io.txcenter.portal.store.QuotaMapper;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The quota-freeze TCC action on the portal's own schema: one branch per order, one {@code
 * quota_freeze} row per line. Runs inside Seata's fence: each phase shares one local transaction
 * with its {@code tcc_fence_log} row.
 */
public class QuotaFreezeTcc extends BranchRecordTcc<QuotaBranch> implements QuotaFreezeAction {

  private static final Logger log = LoggerFactory.getLogger(QuotaFreezeTcc.class);

  private final QuotaMapper quotas;

  public QuotaFreezeTcc(QuotaMapper quotas) {
    this.quotas = quotas;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected QuotaFreezeTcc() {
    this.quotas = null;
  }

  @Override
  public void tryFreezeQuota(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      List<QuotaLine> lines) {
    for (QuotaLine line : lines) {
      freeze(context, orderNo, line);
    }
    log.info(
        "quota frozen xid={} branch={} order={} lines={}",
        context.getXid(),
        context.getBranchId(),
        orderNo,
        lines.stream().map(l -> l.channelId() + ":" + l.amount()).toList());
  }

  private void freeze(BusinessActionContext context, String orderNo, QuotaLine line) {
    String channelId = line.channelId();
    long amount = line.amount();
    if (quotas.freeze(channelId, amount) == 0) {
      if (quotas.find(channelId) == null) {
        throw new PortalException(
            PortalErrorCode.UNKNOWN_CHANNEL, channelId, "channel [" + channelId + "] has no quota");
      }
      throw new PortalException(
          PortalErrorCode.QUOTA_EXHAUSTED,
          channelId,
          "channel [" + channelId + "] has less than [" + amount + "] quota available");
    }
    try {
      quotas.insertFreeze(
          new QuotaFreezeRecord(
              context.getXid(),
              context.getBranchId(),
              channelId,
              orderNo,
              amount,
              QuotaFreezeRecord.TRIED));
    } catch (DuplicateKeyException e) {
      // uk_quota_freeze_live: the order already holds a live quota freeze of this channel
      throw new PortalException(
          PortalErrorCode.DUPLICATE_RESERVATION,
          channelId,
          "order [" + orderNo + "] already holds quota frozen in channel [" + channelId + "]");
    }
  }

  @Override
  protected QuotaBranch findForUpdate(String xid, long branchId) {
    return QuotaBranch.of(quotas.findFreezesForUpdate(xid, branchId));
  }

  @Override
  protected boolean apply(Phase phase, QuotaBranch branch) {
    // the lines in channel order, as the Try locked them
    for (QuotaFreezeRecord r : branch.lines()) {
      int changed =
          phase == Phase.CONFIRM
              ? quotas.useFrozen(r.channelId(), r.amount())
              : quotas.releaseFrozen(r.channelId(), r.amount());
      if (changed != 1) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected void markSettled(QuotaBranch branch, String status) {
    quotas.settleFreeze(branch.xid(), branch.branchId(), QuotaFreezeRecord.TRIED, status);
  }
}
