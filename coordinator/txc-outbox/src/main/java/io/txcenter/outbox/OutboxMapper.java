package io.txcenter.outbox;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the outbox tables ({@code mapper/OutboxMapper.xml}). */
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

  /** Branches whose messages are still PREPARED and were created before {@code cutoff}. */
  List<PreparedBranch> findPreparedBranches(
      @Param("cutoff") Instant cutoff, @Param("limit") int limit);

  /** Marks a resolved branch's fence row so that a late Try of it is refused. */
  int markFenceRolledBack(@Param("xid") String xid, @Param("branchId") long branchId);

  int insertFenceSuspended(@Param("xid") String xid, @Param("branchId") long branchId);

  List<ReadyMessage> findUnfanned(@Param("limit") int limit);

  int insertDelivery(
      @Param("messagePk") long messagePk,
      @Param("consumerGroup") String consumerGroup,
      @Param("businessKey") String businessKey);

  int markFannedOut(@Param("id") long id);

  /**
   * Deliveries due now, oldest message first, at most one per (group, business key): a later
   * message of a key waits while an earlier one of that key is pending for the group.
   */
  List<DueDelivery> findDue(@Param("limit") int limit);

  int markDelivered(@Param("messagePk") long messagePk, @Param("consumerGroup") String group);

  int markRetry(
      @Param("messagePk") long messagePk,
      @Param("consumerGroup") String group,
      @Param("attempts") int attempts,
      @Param("delayMillis") long delayMillis,
      @Param("error") String error);

  int markDead(
      @Param("messagePk") long messagePk,
      @Param("consumerGroup") String group,
      @Param("attempts") int attempts,
      @Param("error") String error);

  int insertDeadLetter(
      @Param("messagePk") long messagePk,
      @Param("consumerGroup") String group,
      @Param("attempts") int attempts,
      @Param("error") String error);

  int bump(@Param("name") String name, @Param("delta") long delta);

  /** A branch with PREPARED messages. */
  record PreparedBranch(String xid, long branchId, String topic, String businessKey) {}

  /** A READY message not yet fanned out to its subscriptions. */
  record ReadyMessage(long id, String topic, String tags, String businessKey) {}

  /** One delivery to attempt, with the message it carries. */
  record DueDelivery(
      long messagePk,
      String consumerGroup,
      int attempts,
      String messageId,
      String topic,
      String tags,
      String businessKey,
      String payload,
      String headers,
      Instant readyAt) {}
}
