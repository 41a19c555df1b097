package io.txcenter.outbox;

import org.apache.ibatis.annotations.Param;

/**
 * The initiator's branch store ({@code mapper/OutboxMapper.xml}): the outbox branch's own rows,
 * inserted PREPARED by its Try and settled by its Confirm or Cancel (or by the relay's check-back,
 * with the same statement). The only outbox mapper an initiator's process loads; the relay's work
 * is in {@link OutboxDeliveryMapper}.
 */
public interface OutboxMapper {

  int insertMessage(
      @Param("messageId") String messageId,
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("topic") String topic,
      @Param("tags") String tags,
      @Param("businessKey") String businessKey,
      @Param("payload") String payload,
      @Param("headers") String headers);

  /** PREPARED messages of one branch become {@code to}; returns how many changed. */
  int settleBranch(
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("to") String to,
      @Param("resolvedBy") String resolvedBy);
}
