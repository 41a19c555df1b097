package io.txcenter.mall.store;

import io.txcenter.mall.api.OrderLine;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the mall schema ({@code mapper/OrderMapper.xml}). */
public interface OrderMapper {

  OrderRecord find(@Param("orderNo") String orderNo);

  /** The lines of an order, by channel. */
  List<OrderLine> findLines(@Param("orderNo") String orderNo);

  int insertOrder(
      @Param("orderNo") String orderNo,
      @Param("userId") long userId,
      @Param("totalPoints") long totalPoints,
      @Param("status") String status,
      @Param("xid") String xid);

  int insertLine(
      @Param("orderNo") String orderNo,
      @Param("channelId") String channelId,
      @Param("points") long points);

  int settle(@Param("xid") String xid, @Param("from") String from, @Param("to") String to);

  int markRejected(
      @Param("orderNo") String orderNo,
      @Param("xid") String xid,
      @Param("rejectCode") String rejectCode);
}
