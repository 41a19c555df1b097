package io.txcenter.points.tcc;

import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.store.CreditRecord;
import io.txcenter.points.store.PointsMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** The points-credit TCC action on the channel's own schema, inside Seata's fence. */
public class PointsCreditTcc implements PointsCreditAction {

  private static final Logger log = LoggerFactory.getLogger(PointsCreditTcc.class);

  private final PointsMapper points;

  public PointsCreditTcc(PointsMapper points) {
    this.points = points;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected PointsCreditTcc() {
    this.points = null;
  }

  @Override
  public void tryCredit(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "channelId") String channelId,
      @BusinessActionContextParameter(paramName = "bizNo") String bizNo,
      @BusinessActionContextParameter(paramName = "userId") long userId,
      @BusinessActionContextParameter(paramName = "points") long amount) {
    points.openAccount(channelId, userId);
    try {
      points.insertCredit(
          new CreditRecord(
              context.getXid(),
              context.getBranchId(),
              channelId,
              bizNo,
              userId,
              amount,
              CreditRecord.TRIED));
    } catch (DuplicateKeyException e) {
      // uk_points_credit_live: one live award per business number and channel
      throw new PointsException(
          PointsErrorCode.DUPLICATE_RESERVATION,
          channelId,
          "[" + bizNo + "] already holds an award in channel [" + channelId + "]");
    }
    log.info(
        "points credit tried xid={} branch={} biz={} channel={} user={} points={}",
        context.getXid(),
        context.getBranchId(),
        bizNo,
        channelId,
        userId,
        amount);
  }

  // READ COMMITTED: see PointsFreezeTcc (fence gap locks under REPEATABLE READ, seata #6679).
  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean confirm(BusinessActionContext context) {
    CreditRecord record = points.findCreditForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !CreditRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (points.applyCredit(record.channelId(), record.userId(), record.points()) != 1) {
      throw new IllegalStateException(
          "no account for credit xid=" + record.xid() + " branch=" + record.branchId());
    }
    points.settleCredit(
        record.xid(), record.branchId(), CreditRecord.TRIED, CreditRecord.CONFIRMED);
    log.info(
        "points credited xid={} branch={} biz={} channel={} user={} points={}",
        record.xid(),
        record.branchId(),
        record.bizNo(),
        record.channelId(),
        record.userId(),
        record.points());
    return true;
  }

  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean cancel(BusinessActionContext context) {
    CreditRecord record = points.findCreditForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !CreditRecord.TRIED.equals(record.status())) {
      return true;
    }
    points.settleCredit(
        record.xid(), record.branchId(), CreditRecord.TRIED, CreditRecord.CANCELLED);
    log.info(
        "points credit dropped xid={} branch={} biz={} channel={} user={}",
        record.xid(),
        record.branchId(),
        record.bizNo(),
        record.channelId(),
        record.userId());
    return true;
  }
}
