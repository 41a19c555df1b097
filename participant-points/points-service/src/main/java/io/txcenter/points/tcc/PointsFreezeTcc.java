package io.txcenter.points.tcc;

import io.txcenter.kit.tcc.BranchRecordTcc;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.store.FreezeRecord;
import io.txcenter.points.store.PointsMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The points-freeze TCC action on the channel's own schema. Runs inside Seata's fence: each phase
 * shares one local transaction with its {@code tcc_fence_log} row.
 */
public class PointsFreezeTcc extends BranchRecordTcc<FreezeRecord> implements PointsFreezeAction {

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

  @Override
  protected FreezeRecord recordFromContext(BusinessActionContext c) {
    return new FreezeRecord(
        c.getXid(),
        c.getBranchId(),
        contextValue(c, "channelId", String.class),
        contextValue(c, "orderNo", String.class),
        contextValue(c, "userId", Long.class),
        contextValue(c, "points", Long.class),
        FreezeRecord.TRIED);
  }

  @Override
  protected boolean settleIfTried(FreezeRecord expected, String status) {
    return points.settleFreezeIfTried(expected, status) == 1;
  }

  @Override
  protected FreezeRecord findForUpdate(String xid, long branchId) {
    return points.findFreezeForUpdate(xid, branchId);
  }

  @Override
  protected boolean apply(Phase phase, FreezeRecord r) {
    return (phase == Phase.CONFIRM
            ? points.spendFrozen(r.channelId(), r.userId(), r.points())
            : points.releaseFrozen(r.channelId(), r.userId(), r.points()))
        == 1;
  }

  @Override
  protected void markSettled(FreezeRecord r, String status) {
    points.settleFreeze(r.xid(), r.branchId(), FreezeRecord.TRIED, status);
  }
}
