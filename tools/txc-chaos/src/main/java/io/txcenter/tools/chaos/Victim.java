package io.txcenter.tools.chaos;

import io.txcenter.chaos.KillWindowHook.Window;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.ProcessDescriptor;
import io.txcenter.tools.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A process the chaos run may kill or pause, and how its recovery is measured: read from its
 * descriptor (docs/architecture.md "Processes", the {@code chaos.*} keys), so a new participant
 * module is killed, paused and probed without a line of tool code.
 *
 * <ul>
 *   <li>{@code fence=true} (a TCC participant or initiator): kind {@code <id>}, killed inside the
 *       windows {@code chaos.windows} (default all four), recovery = its branches at the TC and its
 *       fence rows left tried, in its own schema.
 *   <li>{@code chaos.consumer=<outbox>:<group>} (an outbox consumer): kind {@code subscriber},
 *       recovery = the group's pending deliveries of that outbox.
 *   <li>stage {@code registry} or {@code coordinator} (ZooKeeper, the TC): kind {@code <id>},
 *       recovery = every global session open at the kill.
 *   <li>stage {@code relay}: kind {@code relay-leader} (the leader of the first of {@code
 *       chaos.outboxes} is killed), recovery = the undelivered messages of {@code chaos.outboxes}.
 *   <li>anything else (the merchant stub) is not killed. The database (stage {@code database}, when
 *       the topology starts it) is the victim of the database faults only ({@link #database}),
 *       recovery = every global session open at the kill.
 * </ul>
 *
 * <p>{@code chaos.kind} renames a victim's kind; {@code chaos.victim=false} keeps a process out.
 * {@code chaos.pause=true|false} says whether it is also paused (SIGSTOP, SIGCONT); by default the
 * TCC processes, the TC nodes and the relays are, the ZooKeeper members and the subscribers are
 * not. The members of the {@code registry} stage form a quorum ({@link #quorum}): the run never has
 * a majority of them down at once.
 *
 * @param process the process name ({@code <id>} or {@code <id>-<instance>})
 * @param kind what the run rotates over and the report counts by
 * @param probe how its recovery is measured
 * @param windows the kill windows it can be caught in (empty: killed at a random moment)
 * @param schema its own schema, prefixed ({@link Probe#BRANCHES} only)
 * @param outboxes the outboxes (unprefixed) its recovery waits on ({@link Probe#OUTBOXES}, {@link
 *     Probe#DELIVERIES})
 * @param group its consumer group ({@link Probe#DELIVERIES} only)
 * @param pausable whether a pause (SIGSTOP) may take it, besides a kill
 * @param quorum whether its kind's processes form a quorum (at most a minority down at once)
 */
record Victim(
    String process,
    String kind,
    Probe probe,
    List<Window> windows,
    String schema,
    List<String> outboxes,
    String group,
    boolean pausable,
    boolean quorum) {

  /** A victim that is neither paused nor part of a quorum (tests, the database). */
  Victim(
      String process,
      String kind,
      Probe probe,
      List<Window> windows,
      String schema,
      List<String> outboxes,
      String group) {
    this(process, kind, probe, windows, schema, outboxes, group, false, false);
  }

  /** How a kill's recovery is measured (RecoveryProbe). */
  enum Probe {
    /** The victim's TCC branches at the TC and its fence rows left tried. */
    BRANCHES,
    /** Every global session open at the kill (a TC node, a ZooKeeper member). */
    SESSIONS,
    /** The outboxes' messages not fanned out and deliveries pending (a relay). */
    OUTBOXES,
    /** One consumer group's pending deliveries (a subscriber). */
    DELIVERIES
  }

  static final String ALL_WINDOWS = "try,between,confirm,cancel";

  /**
   * Every victim of the topology, in start order: only processes the topology starts (enabled,
   * included).
   */
  static List<Victim> of(Topology topology) {
    Set<String> started = Set.copyOf(topology.processNames());
    List<Victim> victims = new ArrayList<>();
    for (ProcessDescriptor d : topology.descriptors()) {
      List<String> instances = topology.instances(d);
      for (int i = 0; i < Math.max(1, instances.size()); i++) {
        String instance = instances.isEmpty() ? null : instances.get(i);
        String name = instance == null ? d.id() : d.id() + "-" + instance;
        if (started.contains(name)) {
          of(topology, d, instance, i, name).ifPresent(victims::add);
        }
      }
    }
    return List.copyOf(victims);
  }

  /**
   * The database process, when the topology starts it (the descriptor of stage {@code database},
   * enabled: the embedded MariaDB); empty with an external database ({@code --db}), which is not
   * the run's to kill. Its recovery is every global session open at the kill.
   */
  static java.util.Optional<Victim> database(Topology topology) {
    Set<String> started = Set.copyOf(topology.processNames());
    for (ProcessDescriptor d : topology.descriptors()) {
      if ("database".equals(d.get("stage"))
          && started.contains(d.id())
          && !"false".equals(d.get("chaos.victim"))) {
        return java.util.Optional.of(
            new Victim(
                d.id(),
                d.get("chaos.kind", d.id()),
                Probe.SESSIONS,
                List.of(),
                null,
                List.of(),
                null));
      }
    }
    return java.util.Optional.empty();
  }

  /** The victims by kind, kinds in the order their first process starts. */
  static Map<String, List<Victim>> byKind(List<Victim> victims) {
    Map<String, List<Victim>> kinds = new LinkedHashMap<>();
    for (Victim v : victims) {
      kinds.computeIfAbsent(v.kind(), k -> new ArrayList<>()).add(v);
    }
    return kinds;
  }

  private static java.util.Optional<Victim> of(
      Topology topology, ProcessDescriptor d, String instance, int index, String name) {
    java.util.function.Function<String, String> key =
        k ->
            d.get(k) == null
                ? null
                : ProcessDescriptor.render(
                        d.get(k), value -> topology.value(d, instance, index, value))
                    .trim();
    if ("false".equals(key.apply("chaos.victim"))) {
      return java.util.Optional.empty();
    }
    String kind = key.apply("chaos.kind");
    String stage = d.get("stage");
    String pause = key.apply("chaos.pause");
    if (pause != null && !pause.equals("true") && !pause.equals("false")) {
      throw new CliException(
          "chaos.pause of " + name + " must be true or false, was [" + pause + "]");
    }
    if (Boolean.parseBoolean(d.get("fence", "false"))) {
      String schema =
          topology
              .schemaOf(d, instance, index)
              .orElseThrow(
                  () ->
                      new CliException(d.jar() + ": process " + name + " has a fence, no schema"));
      String windows = key.apply("chaos.windows");
      return java.util.Optional.of(
          new Victim(
              name,
              kind == null ? d.id() : kind,
              Probe.BRANCHES,
              windows(windows == null ? ALL_WINDOWS : windows, name),
              schema,
              List.of(),
              null,
              pause == null || Boolean.parseBoolean(pause),
              false));
    }
    String consumer = key.apply("chaos.consumer");
    if (consumer != null) {
      String[] parts = consumer.split(":", 2);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new CliException(
            d.jar() + ": chaos.consumer of " + name + " is not <outbox>:<group>: " + consumer);
      }
      return java.util.Optional.of(
          new Victim(
              name,
              kind == null ? "subscriber" : kind,
              Probe.DELIVERIES,
              List.of(),
              null,
              List.of(parts[0].trim()),
              parts[1].trim(),
              Boolean.parseBoolean(pause),
              false));
    }
    if (stage.equals("registry") || stage.equals("coordinator")) {
      return java.util.Optional.of(
          new Victim(
              name,
              kind == null ? d.id() : kind,
              Probe.SESSIONS,
              List.of(),
              null,
              List.of(),
              null,
              // a frozen TC node is a real outage; a frozen ZooKeeper member is left to the kills
              pause == null ? stage.equals("coordinator") : Boolean.parseBoolean(pause),
              stage.equals("registry")));
    }
    if (stage.equals("relay")) {
      String outboxes = key.apply("chaos.outboxes");
      if (outboxes == null || outboxes.isEmpty()) {
        // a relay jar built before the descriptors named them is stale: say how to rebuild
        throw new CliException(
            d.jar()
                + ": relay "
                + name
                + " names no chaos.outboxes (rebuild: ./mvnw -DskipTests package)");
      }
      return java.util.Optional.of(
          new Victim(
              name,
              kind == null ? "relay-leader" : kind,
              Probe.OUTBOXES,
              List.of(),
              null,
              List.of(outboxes.split("\\s*,\\s*")),
              null,
              pause == null || Boolean.parseBoolean(pause),
              false));
    }
    return java.util.Optional.empty();
  }

  private static List<Window> windows(String listed, String name) {
    List<Window> windows = new ArrayList<>();
    for (String w : listed.split("\\s*,\\s*")) {
      try {
        windows.add(Window.valueOf(w.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new CliException(
            "chaos.windows of " + name + " names an unknown window [" + w + "]: " + ALL_WINDOWS);
      }
    }
    return List.copyOf(windows);
  }
}
