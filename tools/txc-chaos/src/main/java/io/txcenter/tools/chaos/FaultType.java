package io.txcenter.tools.chaos;

/**
 * What a fault does to its victim; {@link #id} is how the report and the breakdown line name it.
 */
enum FaultType {
  /** {@code kill -9} of a process, restarted after a seeded delay. */
  KILL("kill"),
  /** {@code SIGSTOP}, then {@code SIGCONT} after a seeded 1 to 15 s: a long GC, a frozen VM. */
  PAUSE("pause"),
  /** {@code kill -9} of the database server, restarted after a seeded delay. */
  DB_KILL("db-kill");

  private final String id;

  FaultType(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }
}
