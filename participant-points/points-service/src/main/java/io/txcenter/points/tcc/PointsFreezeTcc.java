package io.txcenter.points.tcc;

import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.store.FreezeRecord;
import io.txcenter.points.store.PointsMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The points-freeze TCC action on the channel's own schema. Runs inside Seata's fence: each phase
 * shares one local transaction with its {@code tcc_fence_log} row.
 */
public class PointsFreezeTcc implements PointsFreezeAction {

  private static final Logger log = LoggerFactory.getLogger(PointsFreezeTcc.class);

  private final PointsMapper points;

  public PointsFreezeTcc(PointsMapper points) {
    this.points = points;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected PointsFreezeTcc() {
    this.points = null;
  }

  @Override
  public void tryFreeze(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "channelId") String channelId,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      @BusinessActionContextParameter(paramName = "userId") long userId,
      @BusinessActionContextParameter(paramName = "points") long amount) {
    if (points.freeze(channelId, userId, amount) == 0) {
      if (points.find(channelId, userId) == null) {
        throw new PointsException(
            PointsErrorCode.UNKNOWN_USER,
            channelId,
            "user [" + userId + "] has no points in channel [" + channelId + "]");
      }
      throw new PointsException(
          PointsErrorCode.INSUFFICIENT_POINTS,
          channelId,
          "user ["
              + userId
              + "] has fewer than ["
              + amount
              + "] points in channel ["
              + channelId
              + "]");
    }
    try {
      points.insertFreeze(
          new FreezeRecord(
              context.getXid(),
              context.getBranchId(),
              channelId,
              orderNo,
              userId,
              amount,
              FreezeRecord.TRIED));
    } catch (DuplicateKeyException e) {
      // uk_points_freeze_live: the order already holds a live freeze in this channel (another
      // branch, maybe of the same global transaction); the fence cannot see it, keyed by branch
      throw new PointsException(
          PointsErrorCode.DUPLICATE_RESERVATION,
          channelId,
          "order [" + orderNo + "] already holds points frozen in channel [" + channelId + "]");
    }
    log.info(
        "points frozen xid={} branch={} order={} channel={} user={} points={}",
        context.getXid(),
        context.getBranchId(),
        orderNo,
        channelId,
        userId,
        amount);
  }

  // READ COMMITTED: under REPEATABLE READ the fence's SELECT ... FOR UPDATE of a missing row takes
  // gap locks, and a concurrent Try's insert then deadlocks with it (seata #6679).
  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean confirm(BusinessActionContext context) {
    FreezeRecord record = points.findFreezeForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !FreezeRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (points.spendFrozen(record.channelId(), record.userId(), record.points()) != 1) {
      throw new IllegalStateException("frozen points missing for " + describe(record));
    }
    points.settleFreeze(
        record.xid(), record.branchId(), FreezeRecord.TRIED, FreezeRecord.CONFIRMED);
    log.info(
        "points spent xid={} branch={} order={} channel={} user={} points={}",
        record.xid(),
        record.branchId(),
        record.orderNo(),
        record.channelId(),
        record.userId(),
        record.points());
    return true;
  }

  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean cancel(BusinessActionContext context) {
    FreezeRecord record = points.findFreezeForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !FreezeRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (points.releaseFrozen(record.channelId(), record.userId(), record.points()) != 1) {
      throw new IllegalStateException("frozen points missing for " + describe(record));
    }
    points.settleFreeze(
        record.xid(), record.branchId(), FreezeRecord.TRIED, FreezeRecord.CANCELLED);
    log.info(
        "points released xid={} branch={} order={} channel={} user={} points={}",
        record.xid(),
        record.branchId(),
        record.orderNo(),
        record.channelId(),
        record.userId(),
        record.points());
    return true;
  }

  private static String describe(FreezeRecord record) {
    return "xid=" + record.xid() + " branch=" + record.branchId() + " order=" + record.orderNo();
  }
}
