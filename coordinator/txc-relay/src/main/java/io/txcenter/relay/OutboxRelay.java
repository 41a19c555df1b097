package io.txcenter.relay;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.outbox.OutboxDeliveryMapper;
import io.txcenter.outbox.OutboxDeliveryMapper.DueDelivery;
import io.txcenter.outbox.OutboxDeliveryMapper.PreparedBranch;
import io.txcenter.outbox.OutboxDeliveryMapper.ReadyMessage;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.OutboxStatus;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.SubscriptionRegistry.BadSubscription;
import io.txcenter.outbox.SubscriptionRegistry.Listing;
import io.txcenter.outbox.SubscriptionRegistry.Subscription;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.outbox.api.OutboxCheck.CheckOutcome;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.seata.core.model.GlobalStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One pass of the relay over its outbox, run by the leader only: resolve PREPARED branches past
 * their immunity time (check-back), fan READY messages out to the matching subscriptions, and
 * attempt the due deliveries, in message order per (consumer group, business key).
 *
 * <p>Failures are contained: a step that fails (check-back, fan-out, delivery) does not stop the
 * next; within a step one branch, topic, message, subscription or consumer group that fails is
 * logged, alerted ({@link Alerts}, and a row in {@code outbox_alert}) and skipped, and the others
 * go on. Each consumer group delivers on its own task with its own time budget per cycle ({@code
 * groupBudget}): after it the group starts no further delivery, and a group whose task is still
 * busy (a hung subscriber: up to the Dubbo timeout per attempt) is skipped by later cycles until
 * the task ends, so it never holds the other groups back.
 *
 * <p>Two ways to run it: {@link #cycle} (check-back, fan-out, deliveries, waiting for the groups'
 * tasks up to their budget) and {@link #pass} with {@link #awaitWork}, the relay loop's way ({@link
 * RelayLoop}): a pass does not wait for the groups' tasks, so new messages are fanned out while
 * groups deliver, and the loop wakes as soon as a group's task ends, to start its next one.
 */
public final class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 200;

  /**
   * Deliveries a group's task makes at once, to distinct business keys (a key's own in order, in
   * one lane), unless the relay is given another count ({@code txc.relay.group-lanes}, read by
   * {@link RelayMain}; 1: one after the other, as before issue 16).
   */
  static final int DEFAULT_LANES = 4;

  /** How often unrouted messages are looked at again (each look reads their topics' nodes). */
  static final Duration UNROUTED_RECHECK = Duration.ofSeconds(1);

  /**
   * How often a {@link #pass} looks for branches past their immunity: as often as an idle relay
   * polls, whatever the passes a busy one makes (the immunity is seconds).
   */
  static final Duration CHECK_BACK_EVERY = Duration.ofMillis(100);

  private final String outboxName;
  private final OutboxDeliveryMapper outbox;
  private final OutboxMapper branches;
  private final SubscriptionRegistry subscriptions;
  private final Function<String, EventConsumer> consumerOfGroup;
  private final Function<String, GlobalStatus> tcStatus;
  private final OutboxCheck businessCheck;
  private final RetryLadder ladder;
  private final Duration immunity;
  private final Duration groupBudget;
  private final ExecutorService deliveryThreads;
  private final int lanes;
  private final Alerts alerts;
  private final LeaderEpoch epoch;

  /** The delivery task of each consumer group that has one: at most one per group. */
  private final Map<String, Future<Integer>> groupTasks = new HashMap<>();

  /** A permit per group task that ended: wakes {@link #awaitWork}. */
  private final Semaphore groupEnded = new Semaphore(0);

  /** Where the next look at unrouted messages starts (they are looked at a batch at a time). */
  private long unroutedCursor;

  /** When unrouted messages were last looked at (System.nanoTime). */
  private long unroutedLookedAt = System.nanoTime() - UNROUTED_RECHECK.toNanos();

  /** When a pass last looked for branches to check back (System.nanoTime). */
  private long checkedBackAt = System.nanoTime() - CHECK_BACK_EVERY.toNanos();

  /**
   * {@code deliveryThreads} runs one task per consumer group with due deliveries, and that task's
   * further lanes; it must not queue (a cached pool: threads are bounded by the groups times the
   * lanes). {@code groupBudget} is how long a group may start deliveries in one cycle, and how long
   * a cycle waits for the groups. {@code branches} is the initiator's branch store on the same
   * schema: a check-back settles a branch with the statement its Confirm and Cancel use, so
   * whichever comes first wins.
   */
  public OutboxRelay(
      String outboxName,
      OutboxDeliveryMapper outbox,
      OutboxMapper branches,
      TransactionTemplate transactions,
      SubscriptionRegistry subscriptions,
      Function<String, EventConsumer> consumerOfGroup,
      Function<String, GlobalStatus> tcStatus,
      OutboxCheck businessCheck,
      RetryLadder ladder,
      Duration immunity,
      Duration groupBudget,
      ExecutorService deliveryThreads,
      Alerts alerts) {
    this(
        outboxName,
        outbox,
        branches,
        transactions,
        subscriptions,
        consumerOfGroup,
        tcStatus,
        businessCheck,
        ladder,
        immunity,
        groupBudget,
        deliveryThreads,
        DEFAULT_LANES,
        alerts);
  }

  /**
   * As above, with {@code lanes} deliveries at once per group task (1 to 32). The lanes beyond the
   * task's own run on {@code deliveryThreads} too, which therefore must not queue. A relay built
   * this way leads its outbox by construction, with an epoch of its own raised at its first pass
   * ({@link LeaderEpoch}): for one relay per outbox, or a test; {@link RelayMain} gives each relay
   * the epoch its ZooKeeper latch grants.
   */
  public OutboxRelay(
      String outboxName,
      OutboxDeliveryMapper outbox,
      OutboxMapper branches,
      TransactionTemplate transactions,
      SubscriptionRegistry subscriptions,
      Function<String, EventConsumer> consumerOfGroup,
      Function<String, GlobalStatus> tcStatus,
      OutboxCheck businessCheck,
      RetryLadder ladder,
      Duration immunity,
      Duration groupBudget,
      ExecutorService deliveryThreads,
      int lanes,
      Alerts alerts) {
    this(
        outboxName,
        outbox,
        branches,
        subscriptions,
        consumerOfGroup,
        tcStatus,
        businessCheck,
        ladder,
        immunity,
        groupBudget,
        deliveryThreads,
        lanes,
        alerts,
        grantedEpoch(outboxName, outbox, transactions));
  }

  /**
   * As above, writing to the outbox only under {@code epoch}: a pass does nothing until it holds
   * one, and every write carries it.
   */
  public OutboxRelay(
      String outboxName,
      OutboxDeliveryMapper outbox,
      OutboxMapper branches,
      SubscriptionRegistry subscriptions,
      Function<String, EventConsumer> consumerOfGroup,
      Function<String, GlobalStatus> tcStatus,
      OutboxCheck businessCheck,
      RetryLadder ladder,
      Duration immunity,
      Duration groupBudget,
      ExecutorService deliveryThreads,
      int lanes,
      Alerts alerts,
      LeaderEpoch epoch) {
    if (lanes < 1 || lanes > 32) {
      throw new IllegalArgumentException("lanes must be in [1, 32], was " + lanes);
    }
    this.lanes = lanes;
    this.outboxName = outboxName;
    this.outbox = outbox;
    this.branches = branches;
    this.subscriptions = subscriptions;
    this.consumerOfGroup = consumerOfGroup;
    this.tcStatus = tcStatus;
    this.businessCheck = businessCheck;
    this.ladder = ladder;
    this.immunity = immunity;
    this.groupBudget = groupBudget;
    this.deliveryThreads = deliveryThreads;
    this.alerts = alerts;
    this.epoch = epoch;
  }

  private static LeaderEpoch grantedEpoch(
      String outboxName, OutboxDeliveryMapper outbox, TransactionTemplate transactions) {
    LeaderEpoch epoch =
        new LeaderEpoch(
            outboxName,
            "relay-" + java.util.UUID.randomUUID().toString().substring(0, 8),
            outbox,
            transactions);
    epoch.granted();
    return epoch;
  }

  /**
   * Returns how many deliveries were attempted by the group tasks that ended within this cycle (0:
   * idle, or only busy groups). Never throws: a failed step is alerted and the next one runs.
   */
  public int cycle() {
    if (!leads()) {
      return 0;
    }
    step("check-back", this::checkBack);
    step("fan-out", this::fanOut);
    int[] attempted = new int[1];
    step("delivery", () -> attempted[0] = deliver());
    return attempted[0];
  }

  /**
   * One pass of the relay's loop: check-back (at most every {@link #CHECK_BACK_EVERY}), fan-out,
   * and a delivery task started for each consumer group with due deliveries and no task running,
   * without waiting for the tasks. Returns true when it found work: a branch resolved, a message
   * fanned out (or found unrouted), a group task started. Never throws: a failed step is alerted
   * and the next one runs.
   */
  public boolean pass() {
    if (!leads()) {
      return false;
    }
    int[] found = new int[1];
    if (System.nanoTime() - checkedBackAt >= CHECK_BACK_EVERY.toNanos()) {
      checkedBackAt = System.nanoTime();
      step("check-back", () -> found[0] += checkBack());
    }
    step("fan-out", () -> found[0] += fanOut());
    step("delivery", () -> found[0] += startGroups().size());
    return found[0] > 0;
  }

  /**
   * Waits up to {@code millis}, or less: until a consumer group's delivery task ends (one may be
   * ready for its next batch, or a later message of a key it just delivered). Returns at once for
   * {@code 0}, or when a task ended since the last wait.
   */
  public void awaitWork(long millis) throws InterruptedException {
    if (millis > 0 && groupEnded.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
      groupEnded.drainPermits(); // several tasks that ended together make one pass
    }
  }

  /** Whether this relay holds its leader epoch, raising it first for a new grant of the latch. */
  private boolean leads() {
    try {
      return epoch.acquire();
    } catch (RuntimeException e) {
      alert(Alerts.Key.STEP_FAILED, "epoch", fields("step", "epoch", "error", e.toString()));
      return false;
    }
  }

  private void step(String name, Runnable step) {
    try {
      step.run();
    } catch (LeaderEpoch.FencedException e) {
      log.info("relay step stopped, fenced step={} outbox={}", name, outboxName);
    } catch (RuntimeException e) {
      alert(Alerts.Key.STEP_FAILED, name, fields("step", name, "error", e.toString()));
    }
  }

  // ---------------------------------------------------------------- check-back

  /** Returns how many branches it settled (rows changed; not those it waits on). */
  int checkBack() {
    if (!leads()) {
      return 0;
    }
    int settled = 0;
    // the cutoff is the database's: created_at and UTC_TIMESTAMP(3) are on the same clock
    for (PreparedBranch branch : outbox.findPreparedBranches(immunity.toMillis(), BATCH)) {
      try {
        settled += checkBack(branch) ? 1 : 0;
      } catch (LeaderEpoch.FencedException e) {
        throw e;
      } catch (RuntimeException e) {
        alert(
            Alerts.Key.STEP_FAILED,
            "check-back " + branch.xid() + "/" + branch.branchId(),
            fields(
                "step", "check-back",
                "xid", branch.xid(),
                "branch", branch.branchId(),
                "key", branch.businessKey(),
                "error", e.toString()));
      }
    }
    return settled;
  }

  private boolean checkBack(PreparedBranch branch) {
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
      RelayMetrics.checkBack(outboxName, "unknown");
      return false;
    }
    return resolve(branch, decision, via, status) > 0;
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

  /**
   * Settles the branch in one local transaction, taking the locks in the order Seata's fence takes
   * them for the TC's Confirm and Cancel: the fence row first ({@code SELECT … FOR UPDATE}), then
   * the outbox rows. The fence row ends as Confirm or Cancel would have left it: {@code committed}
   * on READY, {@code rollbacked} (or a new {@code suspended} row) on DISCARD, so no fence row of a
   * resolved branch stays {@code tried}.
   */
  private int resolve(
      PreparedBranch branch, CheckBack.Decision decision, String via, GlobalStatus status) {
    boolean ready = decision == CheckBack.Decision.READY;
    Integer changed =
        epoch.inTransaction(
            () -> {
              Integer fence = outbox.lockFence(branch.xid(), branch.branchId());
              if (ready) {
                if (fence != null && fence != 1 && fence != 2) {
                  // rolled back or suspended by the fence: Cancel won, the messages are not READY
                  log.warn(
                      "check-back READY refused by the fence xid={} branch={} fence_status={}",
                      branch.xid(),
                      branch.branchId(),
                      fence);
                  return 0;
                }
                outbox.markFenceCommitted(branch.xid(), branch.branchId());
              } else {
                // the marker: a late Try of this branch now hits the fence and is refused
                outbox.markFenceRolledBack(branch.xid(), branch.branchId());
                if (fence == null) {
                  outbox.insertFenceSuspended(branch.xid(), branch.branchId());
                }
              }
              int n =
                  branches.settleBranch(
                      branch.xid(),
                      branch.branchId(),
                      (ready ? OutboxStatus.READY : OutboxStatus.DISCARDED).name(),
                      "CHECKBACK");
              if (n > 0) {
                outbox.bump("checkback_" + via + "_" + (ready ? "ready" : "discarded"), 1);
                RelayMetrics.checkBack(outboxName, ready ? "committed" : "rolled_back");
              }
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
    return changed == null ? 0 : changed;
  }

  // ---------------------------------------------------------------- fan-out

  /**
   * Returns how many messages it fanned out or found unrouted (a late routing of an unrouted one
   * included). Messages go out in id order, and a business key stops at its first message that
   * waits (its fan-out failed, or its topic's subscriptions cannot be read): the key's later
   * messages wait behind it for the next pass. Without that, a later event would get its delivery
   * rows first and be delivered first (the order per group and key, docs/outbox.md); the chaos run
   * found it after a database restart, when one fan-out transaction took a dead pooled connection
   * and the next one a fresh connection.
   */
  int fanOut() {
    if (!leads()) {
      return 0;
    }
    int handled = 0;
    // the subscriptions of each topic, read once per pass; null: the topic could not be read
    Map<String, Listing> byTopic = new HashMap<>();
    Set<String> waiting = new HashSet<>();
    for (ReadyMessage message : outbox.findUnfanned(BATCH)) {
      if (waiting.contains(message.businessKey())) {
        continue; // behind an earlier message of its key that waits
      }
      if (fanOut(message, byTopic, true)) {
        handled++;
      } else {
        waiting.add(message.businessKey());
      }
    }
    // messages no subscription matched: a batch a second, in case one appeared since
    if (System.nanoTime() - unroutedLookedAt < UNROUTED_RECHECK.toNanos()) {
      return handled;
    }
    unroutedLookedAt = System.nanoTime();
    List<ReadyMessage> unrouted = outbox.findUnrouted(unroutedCursor, BATCH);
    unroutedCursor = unrouted.size() < BATCH ? 0 : unrouted.get(unrouted.size() - 1).id();
    for (ReadyMessage message : unrouted) {
      handled += fanOut(message, byTopic, false) ? 1 : 0;
    }
    return handled;
  }

  /** True when it fanned the message out, or marked it unrouted at its first fan-out. */
  private boolean fanOut(ReadyMessage message, Map<String, Listing> byTopic, boolean first) {
    Listing listing = listing(message.topic(), byTopic);
    if (listing == null) {
      return false; // the topic's subscriptions cannot be read now: its messages wait
    }
    try {
      List<Subscription> matching =
          listing.valid().stream().filter(s -> s.expression().matches(message.tags())).toList();
      if (matching.isEmpty()) {
        if (first) {
          epoch.inTransaction(
              () -> {
                outbox.markFannedOut(message.id(), OutboxDeliveryMapper.UNROUTED);
                return outbox.bump("unrouted", 1);
              });
          alert(
              Alerts.Key.NO_SUBSCRIPTION,
              message.messageId(),
              fields(
                  "outbox", outboxName,
                  "topic", message.topic(),
                  "tags", message.tags(),
                  "message", message.messageId(),
                  "key", message.businessKey(),
                  "bad_subscriptions", listing.bad().size()));
        }
        return first;
      }
      epoch.inTransaction(
          () -> {
            for (Subscription s : matching) {
              outbox.insertDelivery(message.id(), s.consumerGroup(), message.businessKey());
            }
            outbox.markFannedOut(message.id(), OutboxDeliveryMapper.FANNED_OUT);
            if (!first) {
              outbox.bump("routed_late", 1);
            }
            return null;
          });
      RelayMetrics.fannedOut(outboxName);
      if (!first) {
        log.info(
            "unrouted message fanned out message={} topic={} groups={}",
            message.messageId(),
            message.topic(),
            matching.stream().map(Subscription::consumerGroup).toList());
      }
      return true;
    } catch (LeaderEpoch.FencedException e) {
      throw e;
    } catch (RuntimeException e) {
      alert(
          Alerts.Key.STEP_FAILED,
          "fan-out " + message.messageId(),
          fields(
              "step", "fan-out",
              "message", message.messageId(),
              "topic", message.topic(),
              "error", e.toString()));
      return false;
    }
  }

  private Listing listing(String topic, Map<String, Listing> byTopic) {
    if (byTopic.containsKey(topic)) {
      return byTopic.get(topic);
    }
    Listing listing;
    try {
      listing = subscriptions.read(topic);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      alert(
          Alerts.Key.STEP_FAILED,
          "subscriptions " + topic,
          fields("step", "fan-out", "topic", topic, "error", e.toString()));
      listing = null;
    }
    byTopic.put(topic, listing);
    if (listing != null) {
      for (BadSubscription bad : listing.bad()) {
        alert(
            Alerts.Key.BAD_SUBSCRIPTION,
            bad.topic() + "/" + bad.node(),
            fields(
                "outbox", outboxName,
                "topic", bad.topic(),
                "group", bad.node(),
                "reason", bad.reason()));
      }
    }
    return listing;
  }

  // ---------------------------------------------------------------- delivery

  int deliver() {
    if (!leads()) {
      return 0;
    }
    long start = System.nanoTime();
    Map<String, Future<Integer>> started = startGroups();
    int attempted = 0;
    long cycleDeadline = start + groupBudget.toNanos();
    for (Map.Entry<String, Future<Integer>> task : started.entrySet()) {
      String group = task.getKey();
      try {
        attempted +=
            task.getValue()
                .get(Math.max(0, cycleDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // its attempt in progress (a hung subscriber) goes on; the group is skipped until it ends
        log.info(
            "consumer group over its budget, its other deliveries wait group={} budget_ms={}",
            group,
            groupBudget.toMillis());
      } catch (ExecutionException e) {
        alert(
            Alerts.Key.STEP_FAILED,
            "delivery " + group,
            fields("step", "delivery", "group", group, "error", e.getCause().toString()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    groupTasks.values().removeIf(Future::isDone);
    return attempted;
  }

  /**
   * Starts a delivery task for each consumer group with due deliveries and no task running, after
   * forgetting the tasks that ended (alerting one that failed as a whole); returns the started
   * ones. A group's due deliveries are read here, never while its previous task runs, so the task
   * sees what that one left: order per (group, business key) holds.
   */
  private Map<String, Future<Integer>> startGroups() {
    groupTasks.entrySet().removeIf(e -> e.getValue().isDone() && ended(e.getKey(), e.getValue()));
    Map<String, Future<Integer>> started = new LinkedHashMap<>();
    List<String> due = outbox.findDueGroups();
    if (!due.isEmpty()) {
      // once per pass with work: a relay that woke up beside a new leader calls no consumer (its
      // marks are fenced in their statements; this spares the calls, and the consumers' dedupe
      // absorbs a call already in flight when it was paused)
      epoch.checkStillHeld();
    }
    for (String group : due) {
      Future<Integer> previous = groupTasks.get(group);
      if (previous != null && !previous.isDone()) {
        log.debug("consumer group still busy, its due deliveries wait group={}", group);
        continue;
      }
      try {
        List<DueDelivery> deliveries = outbox.findDue(group, BATCH);
        if (deliveries.isEmpty()) {
          continue; // its due deliveries wait behind earlier ones of their keys
        }
        long deadline = System.nanoTime() + groupBudget.toNanos();
        Future<Integer> task =
            deliveryThreads.submit(
                () -> {
                  try {
                    return deliverGroup(group, deliveries, deadline);
                  } finally {
                    groupEnded.release();
                  }
                });
        groupTasks.put(group, task);
        started.put(group, task);
      } catch (RuntimeException e) { // RejectedExecutionException included
        alert(
            Alerts.Key.STEP_FAILED,
            "delivery " + group,
            fields("step", "delivery", "group", group, "error", e.toString()));
      }
    }
    return started;
  }

  /** True (forget it) once a task that ended is looked at: a task that threw is alerted. */
  private boolean ended(String group, Future<Integer> task) {
    try {
      task.get();
    } catch (ExecutionException e) {
      alert(
          Alerts.Key.STEP_FAILED,
          "delivery " + group,
          fields("step", "delivery", "group", group, "error", e.getCause().toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // not blocked: the task is done
    } catch (CancellationException e) {
      // cancelled with the pool: nothing to alert
    }
    return true;
  }

  /**
   * Attempts {@code due}, starting none after {@code deadline}: in up to {@code lanes} lanes at
   * once, each lane one key after the other and each key's deliveries in message order. Safe for
   * the order per (group, business key): {@code findDue} gives a key's due deliveries oldest first,
   * a key is in one lane only, its next delivery is attempted only after its earlier one was
   * delivered (the key stops at its first failure, the rest wait behind it on the ladder), and the
   * group's next task reads only what this one left. Why lanes: a group's deliveries are round
   * trips to its consumer, mostly waiting; one after the other a group that gets two events per
   * order saturated at 20 orders per second (issue 16, bench --outbox: p99 2.3 s for the two-event
   * groups against 0.5 s for the others). Why a key's later events in the same task: before, a
   * key's second event waited for the group's next task, a loop pass after the first was marked
   * (issue 16: the two-event groups' p99 was twice the others').
   */
  private int deliverGroup(String group, List<DueDelivery> due, long deadline) {
    Map<String, List<DueDelivery>> byKey = new LinkedHashMap<>();
    for (DueDelivery d : due) {
      byKey.computeIfAbsent(d.businessKey(), k -> new ArrayList<>()).add(d);
    }
    List<List<DueDelivery>> keys = new ArrayList<>(byKey.values());
    int lanes = Math.min(this.lanes, keys.size());
    if (lanes <= 1) {
      return deliverLane(group, keys, deadline);
    }
    List<List<List<DueDelivery>>> byLane = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      byLane.add(new ArrayList<>());
    }
    for (int i = 0; i < keys.size(); i++) {
      byLane.get(i % lanes).add(keys.get(i));
    }
    List<Future<Integer>> running = new ArrayList<>();
    for (List<List<DueDelivery>> lane : byLane.subList(1, lanes)) {
      running.add(deliveryThreads.submit(() -> deliverLane(group, lane, deadline)));
    }
    // the first lane runs on the group's own task thread
    int attempted = deliverLane(group, byLane.get(0), deadline);
    for (Future<Integer> lane : running) {
      try {
        attempted += lane.get();
      } catch (ExecutionException e) {
        alert(
            Alerts.Key.STEP_FAILED,
            "delivery " + group,
            fields("step", "delivery", "group", group, "error", e.getCause().toString()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return attempted;
  }

  /**
   * Attempts each key's deliveries in order, one key after the other, starting none after {@code
   * deadline}; a key stops at its first delivery that is not delivered.
   */
  private int deliverLane(String group, List<List<DueDelivery>> keys, long deadline) {
    int attempted = 0;
    for (List<DueDelivery> key : keys) {
      for (DueDelivery d : key) {
        if (attempted > 0 && System.nanoTime() - deadline > 0) {
          return attempted; // the rest waits for the group's next task
        }
        if (!epoch.holds()) {
          return attempted; // fenced or revoked: the new leader delivers the rest
        }
        attempted++;
        boolean delivered;
        try {
          delivered = attempt(d);
        } catch (LeaderEpoch.FencedException e) {
          return attempted;
        } catch (RuntimeException e) {
          alert(
              Alerts.Key.STEP_FAILED,
              "delivery " + group + "/" + d.messageId(),
              fields(
                  "step", "delivery",
                  "group", group,
                  "message", d.messageId(),
                  "key", d.businessKey(),
                  "error", e.toString()));
          delivered = false;
        }
        if (!delivered) {
          break; // the key's later deliveries wait behind this one
        }
      }
    }
    return attempted;
  }

  /** True when the consumer applied {@code d} and it is marked delivered. */
  private boolean attempt(DueDelivery d) {
    int attempt = d.attempts() + 1;
    epoch.current(); // fenced already: no call to the consumer
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
                  d.readyAt() == null ? 0 : d.readyAt().toInstant(ZoneOffset.UTC).toEpochMilli(),
                  attempt));
    } catch (RuntimeException e) {
      failed(d, attempt, e);
      return false;
    }
    // in the epoch's transaction: FencedException when another relay leads, and nothing marked
    if (epoch.inTransaction(() -> outbox.markDelivered(d.messagePk(), d.consumerGroup())) != 1) {
      // changed under us (a re-drive or an operator): the key's later ones wait for the next task
      return false;
    }
    outbox.bump("delivered", 1);
    RelayMetrics.delivery(outboxName, d.consumerGroup(), "delivered");
    log.debug(
        "delivered message={} group={} key={}", d.messageId(), d.consumerGroup(), d.businessKey());
    return true;
  }

  private void failed(DueDelivery d, int attempt, RuntimeException e) {
    String error = abbreviate(e.getMessage() == null ? e.toString() : e.getMessage());
    Duration delay = ladder.delayAfter(attempt);
    if (delay != null) {
      if (epoch.inTransaction(
              () ->
                  outbox.markRetry(
                      d.messagePk(), d.consumerGroup(), attempt, delay.toMillis(), error))
          != 1) {
        return; // changed under us; fenced: FencedException
      }
      outbox.bump("retried", 1);
      RelayMetrics.delivery(outboxName, d.consumerGroup(), "retried");
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
    epoch.inTransaction(
        () -> {
          if (outbox.markDead(d.messagePk(), d.consumerGroup(), attempt, error) == 1) {
            outbox.insertDeadLetter(d.messagePk(), d.consumerGroup(), attempt, error);
            outbox.bump("dead", 1);
            RelayMetrics.delivery(outboxName, d.consumerGroup(), "dead");
          }
          return null;
        });
    record(Alerts.Key.DEAD_LETTER, d.messageId() + "/" + d.consumerGroup(), error);
    alerts.deadLetter(d.messageId(), d.consumerGroup(), d.businessKey(), attempt, error);
  }

  // ---------------------------------------------------------------- alerts

  /** Logs (and posts) the alert unless repeated within the window, and records it when logged. */
  private void alert(Alerts.Key key, String subject, Map<String, Object> fields) {
    if (alerts.raise(key, subject, fields)) {
      record(key, subject, fields.toString());
    }
  }

  private void record(Alerts.Key key, String subject, String detail) {
    try {
      outbox.recordAlert(key.name(), cut(subject, 191), cut(detail, 512));
    } catch (RuntimeException e) {
      log.warn("cannot record alert={} subject={} error={}", key, subject, e.toString());
    }
  }

  private static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields;
  }

  private static Map<String, String> headers(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (Exception e) {
      return Map.of();
    }
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500);
  }
}
