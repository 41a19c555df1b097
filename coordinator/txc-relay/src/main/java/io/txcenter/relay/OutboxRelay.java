package io.txcenter.relay;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.OutboxMapper.DueDelivery;
import io.txcenter.outbox.OutboxMapper.PreparedBranch;
import io.txcenter.outbox.OutboxMapper.ReadyMessage;
import io.txcenter.outbox.OutboxStatus;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.SubscriptionRegistry.Subscription;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.outbox.api.OutboxCheck.CheckOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.seata.core.model.GlobalStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One pass of the relay over its outbox, run by the leader only: resolve PREPARED branches past
 * their immunity time (check-back), fan READY messages out to the matching subscriptions, and
 * attempt every due delivery, in message order per (consumer group, business key).
 */
public final class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 200;

  private final OutboxMapper outbox;
  private final TransactionTemplate transactions;
  private final SubscriptionRegistry subscriptions;
  private final Function<String, EventConsumer> consumerOfGroup;
  private final Function<String, GlobalStatus> tcStatus;
  private final OutboxCheck businessCheck;
  private final RetryLadder ladder;
  private final Duration immunity;
  private final ExecutorService deliveryThreads;
  private final Alerts alerts;

  public OutboxRelay(
      OutboxMapper outbox,
      TransactionTemplate transactions,
      SubscriptionRegistry subscriptions,
      Function<String, EventConsumer> consumerOfGroup,
      Function<String, GlobalStatus> tcStatus,
      OutboxCheck businessCheck,
      RetryLadder ladder,
      Duration immunity,
      ExecutorService deliveryThreads,
      Alerts alerts) {
    this.outbox = outbox;
    this.transactions = transactions;
    this.subscriptions = subscriptions;
    this.consumerOfGroup = consumerOfGroup;
    this.tcStatus = tcStatus;
    this.businessCheck = businessCheck;
    this.ladder = ladder;
    this.immunity = immunity;
    this.deliveryThreads = deliveryThreads;
    this.alerts = alerts;
  }

  /** Returns how many deliveries were attempted (0: idle). */
  public int cycle() throws Exception {
    checkBack();
    fanOut();
    return deliver();
  }

  void checkBack() {
    for (PreparedBranch branch :
        outbox.findPreparedBranches(Instant.now().minus(immunity), BATCH)) {
      GlobalStatus status;
      try {
        status = tcStatus.apply(branch.xid());
      } catch (RuntimeException e) {
        log.warn("check-back cannot ask the TC xid={} error={}", branch.xid(), e.toString());
        status = null;
      }
      CheckBack.Decision decision = CheckBack.decide(status);
      String via = "tc";
      if (decision == CheckBack.Decision.ASK_BUSINESS) {
        via = "business";
        decision = askBusiness(branch);
      }
      if (decision == CheckBack.Decision.WAIT) {
        continue;
      }
      resolve(branch, decision, via, status);
    }
  }

  private CheckBack.Decision askBusiness(PreparedBranch branch) {
    try {
      CheckOutcome outcome =
          businessCheck.check(branch.topic(), branch.businessKey(), branch.xid());
      return switch (outcome) {
        case COMMITTED -> CheckBack.Decision.READY;
        case ROLLED_BACK -> CheckBack.Decision.DISCARD;
        case UNKNOWN -> CheckBack.Decision.WAIT;
      };
    } catch (RuntimeException e) {
      log.warn(
          "check-back cannot ask the business check xid={} key={} error={}",
          branch.xid(),
          branch.businessKey(),
          e.toString());
      return CheckBack.Decision.WAIT;
    }
  }

  private void resolve(
      PreparedBranch branch, CheckBack.Decision decision, String via, GlobalStatus status) {
    boolean ready = decision == CheckBack.Decision.READY;
    Integer changed =
        transactions.execute(
            tx -> {
              int n =
                  outbox.settleBranch(
                      branch.xid(),
                      branch.branchId(),
                      (ready ? OutboxStatus.READY : OutboxStatus.DISCARDED).name(),
                      "CHECKBACK");
              if (!ready) {
                // the marker: a late Try of this branch now hits the fence and is refused
                outbox.markFenceRolledBack(branch.xid(), branch.branchId());
                outbox.insertFenceSuspended(branch.xid(), branch.branchId());
              }
              outbox.bump("checkback_" + via + "_" + (ready ? "ready" : "discarded"), 1);
              return n;
            });
    log.info(
        "check-back resolved xid={} branch={} key={} decision={} via={} tc={} messages={}",
        branch.xid(),
        branch.branchId(),
        branch.businessKey(),
        decision,
        via,
        status,
        changed);
  }

  void fanOut() throws Exception {
    Map<String, List<Subscription>> byTopic = new LinkedHashMap<>();
    for (ReadyMessage message : outbox.findUnfanned(BATCH)) {
      List<Subscription> subs = byTopic.get(message.topic());
      if (subs == null) {
        subs = subscriptions.subscriptionsOf(message.topic());
        byTopic.put(message.topic(), subs);
      }
      List<Subscription> matching =
          subs.stream().filter(s -> s.expression().matches(message.tags())).toList();
      transactions.executeWithoutResult(
          tx -> {
            for (Subscription s : matching) {
              outbox.insertDelivery(message.id(), s.consumerGroup(), message.businessKey());
            }
            outbox.markFannedOut(message.id());
            if (matching.isEmpty()) {
              outbox.bump("unrouted", 1);
            }
          });
    }
  }

  int deliver() throws Exception {
    List<DueDelivery> due = outbox.findDue(BATCH);
    Map<String, List<DueDelivery>> byGroup = new LinkedHashMap<>();
    for (DueDelivery d : due) {
      byGroup.computeIfAbsent(d.consumerGroup(), g -> new ArrayList<>()).add(d);
    }
    List<Future<?>> running = new ArrayList<>();
    for (List<DueDelivery> deliveries : byGroup.values()) {
      running.add(deliveryThreads.submit(() -> deliveries.forEach(this::attempt)));
    }
    for (Future<?> f : running) {
      f.get();
    }
    return due.size();
  }

  private void attempt(DueDelivery d) {
    int attempt = d.attempts() + 1;
    try {
      consumerOfGroup
          .apply(d.consumerGroup())
          .consume(
              new EventMessage(
                  d.messageId(),
                  d.topic(),
                  d.tags(),
                  d.businessKey(),
                  d.payload(),
                  headers(d.headers()),
                  d.readyAt() == null ? 0 : d.readyAt().toEpochMilli(),
                  attempt));
      outbox.markDelivered(d.messagePk(), d.consumerGroup());
      outbox.bump("delivered", 1);
      log.debug(
          "delivered message={} group={} key={}",
          d.messageId(),
          d.consumerGroup(),
          d.businessKey());
    } catch (RuntimeException e) {
      failed(d, attempt, e);
    }
  }

  private void failed(DueDelivery d, int attempt, RuntimeException e) {
    String error = abbreviate(e.getMessage() == null ? e.toString() : e.getMessage());
    Duration delay = ladder.delayAfter(attempt);
    if (delay != null) {
      outbox.markRetry(d.messagePk(), d.consumerGroup(), attempt, delay.toMillis(), error);
      outbox.bump("retried", 1);
      log.warn(
          "delivery failed, retry message={} group={} key={} attempt={} next_in_ms={} error={}",
          d.messageId(),
          d.consumerGroup(),
          d.businessKey(),
          attempt,
          delay.toMillis(),
          error);
      return;
    }
    transactions.executeWithoutResult(
        tx -> {
          if (outbox.markDead(d.messagePk(), d.consumerGroup(), attempt, error) == 1) {
            outbox.insertDeadLetter(d.messagePk(), d.consumerGroup(), attempt, error);
            outbox.bump("dead", 1);
          }
        });
    alerts.deadLetter(d.messageId(), d.consumerGroup(), d.businessKey(), attempt, error);
  }

  private static Map<String, String> headers(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (Exception e) {
      return Map.of();
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500);
  }
}
