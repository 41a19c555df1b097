package io.txcenter.tools.topology;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One monitoring server of a run directory (Prometheus, Alertmanager): started from its binary with
 * a configuration file, ready when {@code GET <url>/-/ready} answers 200, tracked and stopped by
 * pid ({@code <run dir>/pids/<name>.pid}, checked against its command line), logging to {@code <run
 * dir>/logs/<name>.log}.
 */
final class MonitorServer {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Path runDir;
  private final Path configFile;
  private final String url;

  MonitorServer(String name, Path runDir, Path configFile, String url) {
    this.name = name;
    this.runDir = runDir;
    this.configFile = configFile;
    this.url = url;
  }

  String name() {
    return name;
  }

  /**
   * Writes {@code config}, starts {@code binary} with {@code --config.file} and {@code arguments},
   * and waits until it is ready; the pid of the started process.
   */
  long start(Path binary, String config, List<String> arguments) {
    try {
      Files.createDirectories(configFile.getParent());
      Files.createDirectories(runDir.resolve("pids"));
      Files.createDirectories(runDir.resolve("logs"));
      Files.writeString(configFile, config, StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        command.add("/usr/bin/setsid");
      }
      command.add(binary.toString());
      command.add(marker());
      command.addAll(arguments);
      Process process =
          new ProcessBuilder(command)
              .directory(runDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log().toFile()))
              .redirectInput(Redirect.from(new File("/dev/null")))
              .start();
      Files.writeString(pidFile(), process.pid() + "\n", StandardCharsets.UTF_8);
      awaitReady(process);
      return process.pid();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  private String marker() {
    return "--config.file=" + configFile;
  }

  private void awaitReady(Process process) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new CliException(
            name + " exited with " + process.exitValue() + " before it was ready; see " + log());
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for " + name);
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for " + name);
      }
    }
    throw new CliException(name + " not ready after " + READY_TIMEOUT + "; see " + log());
  }

  /** Stops the server this run directory started, by pid; nothing else. */
  void stop(java.io.PrintStream out) {
    running()
        .ifPresent(
            handle -> {
              handle.destroy();
              try {
                handle.onExit().get(20, TimeUnit.SECONDS);
              } catch (Exception e) {
                handle.destroyForcibly();
              }
              out.printf("  %-12s stopped (pid %d)%n", name, handle.pid());
            });
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      // a stale pid file is checked against the command line next time
    }
  }

  /** The live server of this run directory: its pid file, alive, with this configuration. */
  Optional<ProcessHandle> running() {
    Path pidFile = pidFile();
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      String marker = marker();
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The binary: the environment variable {@code variable} if set, else the first of {@code names}
   * on the {@code PATH}; {@code install} says how to get it.
   */
  static Path binary(String variable, List<String> names, String install) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new CliException(variable + " is not an executable file: " + configured);
      }
      return path;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String name : names) {
        for (String dir : path.split(File.pathSeparator)) {
          Path candidate = Path.of(dir, name);
          if (Files.isExecutable(candidate)) {
            return candidate;
          }
        }
      }
    }
    throw new CliException(
        names.get(0) + " not found on PATH: " + install + ", or set " + variable);
  }

  Path log() {
    return runDir.resolve("logs").resolve(name + ".log");
  }

  private Path pidFile() {
    return runDir.resolve("pids").resolve(name + ".pid");
  }
}
