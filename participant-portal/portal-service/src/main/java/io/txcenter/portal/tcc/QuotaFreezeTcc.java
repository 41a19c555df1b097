package io.txcenter.portal.tcc;

import io.txcenter.kit.tcc.BranchRecordTcc;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.store.QuotaFreezeRecord;
import io.txcenter.portal.store.QuotaMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The quota-freeze TCC action on the portal's own schema. Runs inside Seata's fence: each phase
 * shares one local transaction with its {@code tcc_fence_log} row.
 */
public class QuotaFreezeTcc extends BranchRecordTcc<QuotaFreezeRecord>
    implements QuotaFreezeAction {

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
      @BusinessActionContextParameter(paramName = "channelId") String channelId,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      @BusinessActionContextParameter(paramName = "amount") long amount) {
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
    log.info(
        "quota frozen xid={} branch={} order={} channel={} amount={}",
        context.getXid(),
        context.getBranchId(),
        orderNo,
        channelId,
        amount);
  }

  @Override
  protected QuotaFreezeRecord findForUpdate(String xid, long branchId) {
    return quotas.findFreezeForUpdate(xid, branchId);
  }

  @Override
  protected boolean apply(Phase phase, QuotaFreezeRecord r) {
    return (phase == Phase.CONFIRM
            ? quotas.useFrozen(r.channelId(), r.amount())
            : quotas.releaseFrozen(r.channelId(), r.amount()))
        == 1;
  }

  @Override
  protected void markSettled(QuotaFreezeRecord r, String status) {
    quotas.settleFreeze(r.xid(), r.branchId(), QuotaFreezeRecord.TRIED, status);
  }
}
