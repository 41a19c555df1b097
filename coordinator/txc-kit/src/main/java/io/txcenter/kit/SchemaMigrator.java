package io.txcenter.kit;

import io.txcenter.sql.DdlScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the append-only DDL sets under {@code sql/<set>/V<nnn>__*.sql} on the class path (the
 * shared ones in module txc-sql, a service's own in its jar; see {@code DdlScripts}) to one schema,
 * once each, recording them in {@code schema_version} by set and script name.
 */
public final class SchemaMigrator {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  private SchemaMigrator() {}

  public static void migrate(DataSource dataSource, String... sets) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (set_name VARCHAR(32) NOT NULL,"
                + " script VARCHAR(128) NOT NULL, applied_at DATETIME(3) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (set_name, script))");
      }
      for (String set : sets) {
        for (String script : DdlScripts.scripts(set)) {
          if (!applied(connection, set, script)) {
            apply(connection, set, script);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
    }
  }

  private static boolean applied(Connection connection, String set, String script)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM schema_version WHERE set_name = ? AND script = ?")) {
      query.setString(1, set);
      query.setString(2, script);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void apply(Connection connection, String set, String script) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : DdlScripts.statements(set, script)) {
        statement.execute(sql);
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT IGNORE INTO schema_version (set_name, script) VALUES (?, ?)")) {
      insert.setString(1, set);
      insert.setString(2, script);
      insert.executeUpdate();
    }
    log.info("schema script applied set={} script={}", set, script);
  }
}
