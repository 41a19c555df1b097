package io.txcenter.points.tcc;

import io.txcenter.kit.tcc.BranchRecordTcc;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.store.CreditRecord;
import io.txcenter.points.store.PointsMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/** The points-credit TCC action on the channel's own schema, inside Seata's fence. */
public class PointsCreditTcc extends BranchRecordTcc<CreditRecord> implements PointsCreditAction {

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

  @Override
  protected CreditRecord recordFromContext(BusinessActionContext c) {
    return new CreditRecord(
        c.getXid(),
        c.getBranchId(),
        contextValue(c, "channelId", String.class),
        contextValue(c, "bizNo", String.class),
        contextValue(c, "userId", Long.class),
        contextValue(c, "points", Long.class),
        CreditRecord.TRIED);
  }

  @Override
  protected boolean settleIfTried(CreditRecord expected, String status) {
    return points.settleCreditIfTried(expected, status) == 1;
  }

  @Override
  protected CreditRecord findForUpdate(String xid, long branchId) {
    return points.findCreditForUpdate(xid, branchId);
  }

  @Override
  protected boolean apply(Phase phase, CreditRecord r) {
    // a cancelled award was never spendable: nothing to give back
    return phase == Phase.CANCEL || points.applyCredit(r.channelId(), r.userId(), r.points()) == 1;
  }

  @Override
  protected void markSettled(CreditRecord r, String status) {
    points.settleCredit(r.xid(), r.branchId(), CreditRecord.TRIED, status);
  }
}
