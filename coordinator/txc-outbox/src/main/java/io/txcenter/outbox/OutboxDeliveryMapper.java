package io.txcenter.outbox;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * The relay's delivery store ({@code mapper/OutboxDeliveryMapper.xml}) on an outbox owner's schema:
 * check-back of PREPARED branches (with their fence rows), fan-out to delivery rows, due
 * deliveries, retries, dead letters, counters and alerts. Loaded by the relay only; an initiator
 * loads {@link OutboxMapper}. Same tables as the branch store ({@code sql/outbox}).
 */
public interface OutboxDeliveryMapper {

  /**
   * Branches whose messages are still PREPARED and were created more than {@code immunityMillis}
   * ago. The cutoff is computed by the database on the UTC clock the rows were stamped with ({@code
   * UTC_TIMESTAMP(3)}), so neither the JVM's nor the session's time zone matters.
   *
   * <p>Only the outbox's own branches ({@code outboxAppend}, or no fence row yet): messages that
   * another action's branch carries ({@link Outbox#prepareInBranch}) are settled by that action's
   * Confirm or Cancel, in the local transaction that settles its business row, and the TC drives
   * that phase until it succeeds. The check-back must not settle them, nor mark that branch's fence
   * row: the action's phase would then find the fence settled and skip its business row.
   */
  List<PreparedBranch> findPreparedBranches(
      @Param("immunityMillis") long immunityMillis, @Param("limit") int limit);

  /**
   * Locks the fence row of a branch ({@code SELECT ... FOR UPDATE}) and returns its status, null
   * when there is none. Whoever settles a branch takes this lock first, as Seata's own {@code
   * commitFence}/{@code rollbackFence} do before calling Confirm or Cancel: one lock order, no
   * deadlock.
   */
  Integer lockFence(@Param("xid") String xid, @Param("branchId") long branchId);

  /** A {@code tried} fence row becomes {@code committed}, as Confirm would leave it. */
  int markFenceCommitted(@Param("xid") String xid, @Param("branchId") long branchId);

  /** Marks a resolved branch's fence row so that a late Try of it is refused. */
  int markFenceRolledBack(@Param("xid") String xid, @Param("branchId") long branchId);

  int insertFenceSuspended(@Param("xid") String xid, @Param("branchId") long branchId);

  List<ReadyMessage> findUnfanned(@Param("limit") int limit);

  int insertDelivery(
      @Param("messagePk") long messagePk,
      @Param("consumerGroup") String consumerGroup,
      @Param("businessKey") String businessKey);

  /**
   * READY messages that matched no valid subscription when they were fanned out ({@code fanned_out
   * = 2}), looked at again in case a subscription appeared: id order, after {@code afterId}.
   */
  List<ReadyMessage> findUnrouted(@Param("afterId") long afterId, @Param("limit") int limit);

  /**
   * {@code fanned_out} becomes {@code to}: {@link #FANNED_OUT} (delivery rows exist) or {@link
   * #UNROUTED} (no subscription matched; looked at again later).
   */
  int markFannedOut(@Param("id") long id, @Param("to") int to);

  /** {@code outbox_message.fanned_out}: delivery rows were created. */
  int FANNED_OUT = 1;

  /** {@code outbox_message.fanned_out}: no valid subscription matched yet. */
  int UNROUTED = 2;

  /**
   * The outbox's backlog, one row per state ({@code prepared}, {@code ready} not yet fanned out,
   * {@code pending} deliveries, {@code dead} deliveries): how many, and the age in seconds of the
   * oldest ({@code pending}: of the oldest due one; {@code dead}: 0).
   */
  List<Backlog> backlog();

  /** A row of {@link #backlog}. */
  record Backlog(String state, long messages, double oldestSeconds) {}

  /** Consumer groups with at least one due PENDING delivery. */
  List<String> findDueGroups();

  /**
   * Deliveries due now, oldest message first: for each (group, business key) the due prefix of its
   * pending deliveries. A later message of a key is left out while an earlier one of that key is
   * pending for the group and not due (waiting on the retry ladder); when both are due, both come,
   * in message order, and the caller must deliver them in that order and stop the key at its first
   * failure. The result is ordered by message, so a limit never returns a key's later delivery
   * without its earlier ones.
   */
  List<DueDelivery> findDue(
      @Param("consumerGroup") String consumerGroup, @Param("limit") int limit);

  /**
   * Raises {@code outbox}'s relay leader epoch (1 on the first raise) and names {@code holder};
   * waits for the shared locks of the former leader's writes in flight. Read it back with {@link
   * #currentEpoch} in the same transaction.
   */
  int raiseEpoch(@Param("outbox") String outbox, @Param("holder") String holder);

  /** The relay leader epoch of {@code outbox}, or null before any leader. */
  Long currentEpoch(@Param("outbox") String outbox);

  /**
   * The relay leader epoch of {@code outbox} under a shared lock held to the end of the
   * transaction: the first statement of a leader's write transaction.
   */
  Long lockEpoch(@Param("outbox") String outbox);

  /**
   * Marks a delivery delivered; the relay runs it in its epoch transaction ({@code
   * LeaderEpoch.inTransaction}).
   */
  int markDelivered(@Param("messagePk") long messagePk, @Param("consumerGroup") String group);

  /** Schedules a delivery's next attempt; in the relay's epoch transaction too. */
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

  /** Records an alert in {@code outbox_alert}: a new row, or a repeat of (alert, subject). */
  int recordAlert(
      @Param("alert") String alert,
      @Param("subject") String subject,
      @Param("detail") String detail);

  /** A branch with PREPARED messages. */
  record PreparedBranch(String xid, long branchId, String topic, String businessKey) {}

  /** A READY message not yet fanned out to its subscriptions. */
  record ReadyMessage(long id, String messageId, String topic, String tags, String businessKey) {}

  /** One delivery to attempt, with the message it carries; {@code readyAt} is UTC. */
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
      LocalDateTime readyAt) {}
}
