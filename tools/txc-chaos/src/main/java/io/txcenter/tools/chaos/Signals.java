package io.txcenter.tools.chaos;

import io.txcenter.tools.topology.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pauses and resumes processes with {@code SIGSTOP} and {@code SIGCONT} through the {@code kill}
 * binary ({@link ProcessHandle} sends only SIGTERM and SIGKILL), and remembers which are paused so
 * that {@link #resumeAll} (the run's {@code finally} and its shutdown hook) leaves none stopped.
 */
final class Signals {

  private final String kill;
  private final Set<Long> paused = ConcurrentHashMap.newKeySet();

  private Signals(String kill) {
    this.kill = kill;
  }

  /** The {@code kill} binary on {@code PATH} (or in /usr/bin, /bin); refused when there is none. */
  static Signals fromPath() {
    return new Signals(
        killBinary()
            .orElseThrow(
                () ->
                    new CliException(
                        "chaos pauses need the kill binary (procps or util-linux) on PATH: none"
                            + " found")));
  }

  static Optional<String> killBinary() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : (path + ":/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kill"))) {
        return Optional.of(Path.of(dir, "kill").toString());
      }
    }
    return Optional.empty();
  }

  /** Stops {@code process}; true when the signal was delivered. */
  boolean stop(ProcessHandle process) {
    paused.add(process.pid());
    if (send("STOP", process.pid())) {
      return true;
    }
    paused.remove(process.pid());
    return false;
  }

  /** Lets {@code pid} run again (a process that died meanwhile is forgotten). */
  void resume(long pid) {
    send("CONT", pid);
    paused.remove(pid);
  }

  /** Resumes every process still paused; returns how many. */
  int resumeAll() {
    int n = 0;
    for (Long pid : List.copyOf(paused)) {
      resume(pid);
      n++;
    }
    return n;
  }

  private boolean send(String signal, long pid) {
    // an interrupted run still resumes what it paused: wait for kill with the flag cleared
    boolean interrupted = Thread.interrupted();
    try {
      Process p =
          new ProcessBuilder(kill, "-" + signal, String.valueOf(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      interrupted = true;
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
