package io.txcenter.tools.chaos;

/**
 * One fault the run injected: what, where, when, and how long the victim's transactions took to
 * settle once it was back (restarted and ready, or resumed).
 */
final class Fault {
  final int number;
  final FaultType type;
  final Victim victim;
  final String kind;
  final String process;
  final String armed;

  /** The seeded restart delay (kills) or pause length (pauses), in ms. */
  final long durationMs;

  /** The number of the fault still in effect when this one started; 0 when none. */
  final int overlaps;

  String window = "random";
  String xid;
  String action;

  /** When the kill or the SIGSTOP was sent. */
  long struckAtMs;

  /** When the restart began, or when SIGCONT was sent. */
  long restartedAtMs;

  /** When the victim was ready again, or when SIGCONT was sent. */
  long readyAtMs;

  /** The paused process's pid (pauses). */
  long pid;

  long downMs;
  RecoveryProbe.Pending pending;

  /** Why the snapshot of what the victim was part of is not from the strike, or null. */
  String snapshotNote;

  long settledAtMs = -1;

  /** A fault that never settled: what was still open at the end (RecoveryProbe.settleAll). */
  java.util.List<String> stillOpen = java.util.List.of();

  /** Why the victim did not come back, or null. */
  String failure;

  Fault(int number, FaultType type, Victim victim, String armed, long durationMs, int overlaps) {
    this.number = number;
    this.type = type;
    this.victim = victim;
    this.kind = victim.kind();
    this.process = victim.process();
    this.armed = armed;
    this.durationMs = durationMs;
    this.overlaps = overlaps;
  }

  /** Back (ready or resumed) to settled; 0 when everything settled before; -1 if never. */
  long recoveryMs() {
    if (settledAtMs < 0) {
      return -1;
    }
    return Math.max(0, settledAtMs - readyAtMs);
  }
}
