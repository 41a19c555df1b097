package io.txcenter.portal.store;

import io.txcenter.portal.api.ChannelQuota;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the portal schema ({@code mapper/QuotaMapper.xml}). */
public interface QuotaMapper {

  ChannelQuota find(@Param("channelId") String channelId);

  /** Every channel, ordered by channel id. */
  List<ChannelQuota> findAll();

  /** Guarded move available to used at once (no TCC); 0 rows when the quota is short. */
  int useAvailable(@Param("channelId") String channelId, @Param("amount") long amount);

  /** Guarded move available to frozen; 0 rows when the channel lacks the quota or is unknown. */
  int freeze(@Param("channelId") String channelId, @Param("amount") long amount);

  int useFrozen(@Param("channelId") String channelId, @Param("amount") long amount);

  int releaseFrozen(@Param("channelId") String channelId, @Param("amount") long amount);

  int grant(@Param("channelId") String channelId, @Param("amount") long amount);

  /** The record of an operator's grant ({@code quota_grant}). */
  int insertGrant(
      @Param("channelId") String channelId,
      @Param("amount") long amount,
      @Param("operator") String operator,
      @Param("reason") String reason);

  int insertFreeze(QuotaFreezeRecord record);

  /** The rows of one branch, one per channel, ordered by channel, locked. */
  List<QuotaFreezeRecord> findFreezesForUpdate(
      @Param("xid") String xid, @Param("branchId") long branchId);

  int settleFreeze(
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("from") String from,
      @Param("to") String to);
}
