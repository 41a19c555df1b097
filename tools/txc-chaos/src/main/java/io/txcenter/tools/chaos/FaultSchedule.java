package io.txcenter.tools.chaos;

import io.txcenter.chaos.KillWindowHook.Window;
import io.txcenter.tools.topology.CliException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The seeded fault schedule of a chaos run: one {@link Random} draws every fault's type, victim,
 * window, restart delay or pause length, whether a second fault overlaps it (and which), and the
 * gap before the next, so a seed replays the same schedule on the same descriptors.
 *
 * <ul>
 *   <li><b>Types.</b> The first steps are one of each type ({@link FaultType}: kill, pause, and
 *       database kill when the database is the topology's own) in a seeded order, and one of them
 *       (seeded) is overlapped: a run of three minutes sees every type and an overlap. After that
 *       the types come in seeded shuffles of {@link #DECK}: 6 kills, 3 pauses and 1 database kill
 *       in every 10 steps.
 *   <li><b>Victims.</b> Per type, the kinds ({@link Victim#kind}) come round-robin in a seeded
 *       shuffle, so every kind is taken once before any twice: a kill takes any kind, a pause the
 *       kinds whose victims are {@link Victim#pausable}. A relay kind takes the leader of its first
 *       outbox, or a seeded relay when none is known. A TCC process gets a window (rotated per type
 *       and kind from a seeded start, over its descriptor's windows).
 *   <li><b>Overlaps.</b> After the first steps, a seeded {@code overlapShare} of the steps start a
 *       second fault 0 to 2 s after the first struck, while the first is still in effect. Half of
 *       the second faults take the first's partner (a TCC process and a TC node, a TC node and a
 *       TCC process, the database and a TCC process, a subscriber and the relay leader, the relay
 *       leader and a subscriber, a ZooKeeper member and a TC node), the other half any kind or the
 *       database; 40 % are pauses where the kind can be paused. Never the first's own process, and
 *       never a second member of a {@link Victim#quorum} whose majority that would take down (1 of
 *       3 ZooKeeper members at most). Both TC nodes at once is allowed: they are not a quorum but
 *       two servers of one store, and an outage of every TC must end with every transaction settled
 *       once one is back.
 * </ul>
 *
 * <p>A kill or database kill is restarted after 1 to 6 s, a pause lasts 1 to 15 s (longer than the
 * relays' 3 s and the TC registry's 6 s ZooKeeper sessions), and the next step comes 2 to 8 s after
 * the last victim is back. {@link #plan} paces a run on estimates alone, without processes.
 */
final class FaultSchedule {

  /** One fault to inject: its type, victim, armed window (or null) and restart delay or length. */
  record Strike(FaultType type, Victim victim, String armed, long durationMs) {}

  /**
   * One step of the run: a fault, maybe a second one started {@code secondAfterMs} after the first
   * struck (while it is in effect), and the gap after both victims are back.
   */
  record Step(Strike first, Strike second, long secondAfterMs, long gapMs) {

    List<Strike> strikes() {
      return second == null ? List.of(first) : List.of(first, second);
    }
  }

  /** The types of every 10 steps after the first ones, shuffled. */
  static final List<FaultType> DECK =
      List.of(
          FaultType.KILL,
          FaultType.KILL,
          FaultType.KILL,
          FaultType.KILL,
          FaultType.KILL,
          FaultType.KILL,
          FaultType.PAUSE,
          FaultType.PAUSE,
          FaultType.PAUSE,
          FaultType.DB_KILL);

  /** Pacing estimates (conservative for this machine kind) of {@link #estimateMs}. */
  static final long ARM_ESTIMATE_MS = 5_000;

  static final long START_ESTIMATE_MS = 8_000;
  static final long DB_START_ESTIMATE_MS = 20_000;

  private final Random random;
  private final Map<String, List<Victim>> kinds;
  private final Optional<Victim> database;
  private final double overlapShare;
  private final Deque<FaultType> types = new ArrayDeque<>();
  private final Map<FaultType, List<String>> rotation = new EnumMap<>(FaultType.class);
  private final Map<String, Integer> windowTurn = new LinkedHashMap<>();
  private final int firstSteps;
  private final int forcedOverlap;
  private int steps;

  FaultSchedule(long seed, List<Victim> victims, Optional<Victim> database, double overlapShare) {
    if (victims.isEmpty()) {
      throw new CliException("no process of this topology can be killed (see Victim)");
    }
    this.random = new Random(seed);
    this.kinds = Victim.byKind(victims);
    this.database = database;
    this.overlapShare = overlapShare;
    List<FaultType> first = new ArrayList<>(List.of(FaultType.KILL));
    if (!kindsOf(FaultType.PAUSE).isEmpty()) {
      first.add(FaultType.PAUSE);
    }
    if (database.isPresent()) {
      first.add(FaultType.DB_KILL);
    }
    Collections.shuffle(first, random);
    types.addAll(first);
    this.firstSteps = first.size();
    this.forcedOverlap = overlapShare > 0 ? random.nextInt(firstSteps) : -1;
  }

  /** Whether database kills are scheduled (the database is the topology's own). */
  boolean databaseFaults() {
    return database.isPresent();
  }

  /**
   * The next step. {@code leaderOf} names the relay leading the outbox given, if it can be read; a
   * relay kind takes the leader of its first outbox, or a seeded relay when none is known.
   */
  Step next(Function<String, Optional<String>> leaderOf) {
    if (types.isEmpty()) {
      List<FaultType> deck = new ArrayList<>();
      for (FaultType t : DECK) {
        boolean possible =
            t == FaultType.KILL
                || (t == FaultType.PAUSE && !kindsOf(FaultType.PAUSE).isEmpty())
                || (t == FaultType.DB_KILL && database.isPresent());
        deck.add(possible ? t : FaultType.KILL);
      }
      Collections.shuffle(deck, random);
      types.addAll(deck);
    }
    int index = steps++;
    Strike first = primary(types.poll(), leaderOf);
    boolean overlap =
        index < firstSteps ? index == forcedOverlap : random.nextDouble() < overlapShare;
    Strike second = overlap ? second(first, leaderOf) : null;
    long after =
        second == null
            ? 0
            : random.nextInt((int) Math.max(1, Math.min(2_000, first.durationMs() / 2)));
    long gap = 2_000 + random.nextInt(6_000);
    return new Step(first, second, after, gap);
  }

  private Strike primary(FaultType type, Function<String, Optional<String>> leaderOf) {
    if (type == FaultType.DB_KILL) {
      return new Strike(type, database.orElseThrow(), null, restartDelay());
    }
    List<String> order = rotation.computeIfAbsent(type, t -> new ArrayList<>());
    if (order.isEmpty()) {
      order.addAll(kindsOf(type));
      Collections.shuffle(order, random);
    }
    String kind = order.remove(0);
    Victim victim = pick(candidates(type, kinds.get(kind)), leaderOf);
    return strike(type, victim);
  }

  private Strike second(Strike first, Function<String, Optional<String>> leaderOf) {
    List<String> everyKind = new ArrayList<>(kinds.keySet());
    database.ifPresent(db -> everyKind.add(db.kind()));
    List<String> candidates = random.nextBoolean() ? partners(first) : everyKind;
    if (candidates.isEmpty()) {
      candidates = everyKind;
    }
    int start = random.nextInt(candidates.size());
    boolean pause = random.nextInt(5) < 2;
    for (int i = 0; i < candidates.size(); i++) {
      String kind = candidates.get((start + i) % candidates.size());
      if (database.isPresent() && kind.equals(database.get().kind())) {
        if (first.type() == FaultType.DB_KILL) {
          continue;
        }
        return new Strike(FaultType.DB_KILL, database.get(), null, restartDelay());
      }
      List<Victim> pool =
          kinds.get(kind).stream()
              .filter(v -> !v.process().equals(first.victim().process()))
              .toList();
      if (pool.isEmpty() || quorumLost(first.victim(), kind)) {
        continue;
      }
      FaultType type =
          pause && pool.stream().anyMatch(Victim::pausable) ? FaultType.PAUSE : FaultType.KILL;
      return strike(type, pick(candidates(type, pool), leaderOf));
    }
    return null;
  }

  /** Whether a second member of {@code kind} down beside {@code first} leaves it no majority. */
  private boolean quorumLost(Victim first, String kind) {
    List<Victim> members = kinds.get(kind);
    if (!first.kind().equals(kind) || !members.get(0).quorum()) {
      return false;
    }
    return 2 > (members.size() - 1) / 2;
  }

  /** The kinds a second fault prefers beside {@code first}. */
  private List<String> partners(Strike first) {
    Victim v = first.victim();
    List<String> partners = new ArrayList<>();
    if (first.type() == FaultType.DB_KILL) {
      partners.addAll(kindsWhere(k -> k.probe() == Victim.Probe.BRANCHES));
      return partners;
    }
    switch (v.probe()) {
      case BRANCHES -> {
        partners.addAll(kindsWhere(k -> k.probe() == Victim.Probe.SESSIONS && !k.quorum()));
        database.ifPresent(db -> partners.add(db.kind()));
      }
      case SESSIONS ->
          partners.addAll(
              v.quorum()
                  ? kindsWhere(k -> k.probe() == Victim.Probe.SESSIONS && !k.quorum())
                  : kindsWhere(k -> k.probe() == Victim.Probe.BRANCHES));
      case DELIVERIES -> partners.addAll(kindsWhere(k -> k.probe() == Victim.Probe.OUTBOXES));
      case OUTBOXES -> partners.addAll(kindsWhere(k -> k.probe() == Victim.Probe.DELIVERIES));
    }
    return partners;
  }

  private List<String> kindsWhere(Predicate<Victim> test) {
    List<String> matching = new ArrayList<>();
    kinds.forEach(
        (kind, victims) -> {
          if (test.test(victims.get(0))) {
            matching.add(kind);
          }
        });
    return matching;
  }

  /** The kinds a fault of {@code type} takes: every kind for a kill, the pausable ones else. */
  private List<String> kindsOf(FaultType type) {
    return type == FaultType.PAUSE
        ? kindsWhere(v -> kinds.get(v.kind()).stream().anyMatch(Victim::pausable))
        : new ArrayList<>(kinds.keySet());
  }

  private static List<Victim> candidates(FaultType type, List<Victim> victims) {
    return type == FaultType.PAUSE ? victims.stream().filter(Victim::pausable).toList() : victims;
  }

  private Strike strike(FaultType type, Victim victim) {
    List<Window> windows = victim.windows();
    String armed = null;
    if (!windows.isEmpty()) {
      int turn = windowTurn.merge(type.id() + "/" + victim.kind(), 1, Integer::sum) - 1;
      // rotate the window per type and kind, from a seeded starting point
      armed = windows.get((turn + random.nextInt(windows.size())) % windows.size()).id();
    }
    long duration = type == FaultType.PAUSE ? 1_000 + random.nextInt(14_001) : restartDelay();
    return new Strike(type, victim, armed, duration);
  }

  private long restartDelay() {
    return 1_000 + random.nextInt(5_000);
  }

  private Victim pick(List<Victim> candidates, Function<String, Optional<String>> leaderOf) {
    Victim first = candidates.get(0);
    if (first.probe() == Victim.Probe.OUTBOXES) {
      Victim fallback = candidates.get(random.nextInt(candidates.size()));
      Optional<String> leader = leaderOf.apply(first.outboxes().get(0));
      return candidates.stream()
          .filter(v -> leader.isPresent() && v.process().equals(leader.get()))
          .findFirst()
          .orElse(fallback);
    }
    // one process of its kind: no draw, so a seed's schedule does not shift with instances
    return candidates.size() == 1 ? first : candidates.get(random.nextInt(candidates.size()));
  }

  /**
   * How long a step is estimated to take, from its first strike to the next step: the armed
   * window's wait ({@link #ARM_ESTIMATE_MS}), the restart delay and a start ({@link
   * #START_ESTIMATE_MS}, {@link #DB_START_ESTIMATE_MS}) or the pause, the second fault's (whose
   * restart waits for the database when that is down), then the gap.
   */
  static long estimateMs(Step step) {
    long t0 = step.first().armed() == null ? 0 : ARM_ESTIMATE_MS;
    long firstEnd = t0 + effect(step.first());
    long end = firstEnd;
    if (step.second() != null) {
      Strike first = step.first();
      Strike second = step.second();
      long secondStart = t0 + step.secondAfterMs();
      long secondEnd = secondStart + effect(second);
      if (first.type() == FaultType.DB_KILL && second.type() == FaultType.KILL) {
        secondEnd = Math.max(secondStart + second.durationMs(), firstEnd) + START_ESTIMATE_MS;
      }
      if (second.type() == FaultType.DB_KILL && first.type() == FaultType.KILL) {
        firstEnd = Math.max(t0 + first.durationMs(), secondEnd) + START_ESTIMATE_MS;
      }
      end = Math.max(firstEnd, secondEnd);
    }
    return end + step.gapMs();
  }

  private static long effect(Strike s) {
    return switch (s.type()) {
      case KILL -> s.durationMs() + START_ESTIMATE_MS;
      case DB_KILL -> s.durationMs() + DB_START_ESTIMATE_MS;
      case PAUSE -> s.durationMs();
    };
  }

  /**
   * The steps a run would start within {@code windowMs} (from the first fault to the last moment
   * one may start) on the estimates alone, no leader known: the pacing without processes.
   */
  List<Step> plan(long windowMs) {
    List<Step> planned = new ArrayList<>();
    long t = 0;
    while (t < windowMs) {
      Step step = next(outbox -> Optional.empty());
      planned.add(step);
      t += estimateMs(step);
    }
    return planned;
  }
}
