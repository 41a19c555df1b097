package io.txcenter.db;

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
 * system MySQL on 3306 is left alone), {@code txc.run.dir} (run), {@code txc.name} (db).
 */
public final class EmbeddedDbMain {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDbMain.class);

  private EmbeddedDbMain() {}

  public static void main(String[] args) throws Exception {
    Path runDir = Path.of(System.getProperty("txc.run.dir", "run")).toAbsolutePath();
    String name = System.getProperty("txc.name", "db");
    int port = Integer.parseInt(System.getProperty("txc.db.port", "3307"));
    EmbeddedMariaDb db = EmbeddedMariaDb.start(port, runDir.resolve("data/" + name));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
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
}
