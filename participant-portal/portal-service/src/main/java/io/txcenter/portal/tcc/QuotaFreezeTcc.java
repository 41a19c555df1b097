package io.txcenter.portal.tcc;

import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.store.QuotaFreezeRecord;
import io.txcenter.portal.store.QuotaMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The quota-freeze TCC action on the portal's own schema. Runs inside Seata's fence: each phase
 * shares one local transaction with its {@code tcc_fence_log} row.
 */
public class QuotaFreezeTcc implements QuotaFreezeAction {

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

  // READ COMMITTED: under REPEATABLE READ the fence's SELECT ... FOR UPDATE of a missing row takes
  // gap locks, and a concurrent Try's insert then deadlocks with it (seata #6679).
  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean confirm(BusinessActionContext context) {
    QuotaFreezeRecord record = quotas.findFreezeForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !QuotaFreezeRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (quotas.useFrozen(record.channelId(), record.amount()) != 1) {
      throw new IllegalStateException("frozen quota missing for " + describe(record));
    }
    quotas.settleFreeze(
        record.xid(), record.branchId(), QuotaFreezeRecord.TRIED, QuotaFreezeRecord.CONFIRMED);
    log.info(
        "quota used xid={} branch={} order={} channel={} amount={}",
        record.xid(),
        record.branchId(),
        record.orderNo(),
        record.channelId(),
        record.amount());
    return true;
  }

  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean cancel(BusinessActionContext context) {
    QuotaFreezeRecord record = quotas.findFreezeForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !QuotaFreezeRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (quotas.releaseFrozen(record.channelId(), record.amount()) != 1) {
      throw new IllegalStateException("frozen quota missing for " + describe(record));
    }
    quotas.settleFreeze(
        record.xid(), record.branchId(), QuotaFreezeRecord.TRIED, QuotaFreezeRecord.CANCELLED);
    log.info(
        "quota released xid={} branch={} order={} channel={} amount={}",
        record.xid(),
        record.branchId(),
        record.orderNo(),
        record.channelId(),
        record.amount());
    return true;
  }

  private static String describe(QuotaFreezeRecord record) {
    return "xid=" + record.xid() + " branch=" + record.branchId() + " order=" + record.orderNo();
  }
}
