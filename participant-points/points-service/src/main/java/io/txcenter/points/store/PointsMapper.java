package io.txcenter.points.store;

import io.txcenter.points.api.PointsBalance;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the channel schema ({@code mapper/PointsMapper.xml}). */
public interface PointsMapper {

  PointsBalance find(@Param("channelId") String channelId, @Param("userId") long userId);

  /** Guarded move available to spent at once (no TCC); 0 rows when short of points. */
  int spendAvailable(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points);

  /** Guarded move available to frozen; 0 rows when the user lacks the points or is unknown. */
  int freeze(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points);

  int spendFrozen(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points);

  int releaseFrozen(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points);

  int grant(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points);

  /** The record of an operator's grant ({@code points_grant}). */
  int insertGrant(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points,
      @Param("operator") String operator,
      @Param("reason") String reason);

  int insertFreeze(FreezeRecord record);

  /** Opens the user's account in the channel with nothing in it, if absent. */
  int openAccount(@Param("channelId") String channelId, @Param("userId") long userId);

  int insertCredit(CreditRecord record);

  CreditRecord findCreditForUpdate(@Param("xid") String xid, @Param("branchId") long branchId);

  /** Adds confirmed credit to available and credited. */
  int applyCredit(
      @Param("channelId") String channelId,
      @Param("userId") long userId,
      @Param("points") long points);

  int settleCredit(
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("from") String from,
      @Param("to") String to);

  /** TRIED to {@code to}, only if the row's every business field equals {@code expected}'s. */
  int settleCreditIfTried(@Param("r") CreditRecord expected, @Param("to") String to);

  FreezeRecord findFreezeForUpdate(@Param("xid") String xid, @Param("branchId") long branchId);

  int settleFreeze(
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("from") String from,
      @Param("to") String to);

  /** TRIED to {@code to}, only if the row's every business field equals {@code expected}'s. */
  int settleFreezeIfTried(@Param("r") FreezeRecord expected, @Param("to") String to);
}
