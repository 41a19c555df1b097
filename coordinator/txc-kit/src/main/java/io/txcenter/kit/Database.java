package io.txcenter.kit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Connection pools on a MySQL-protocol server (MySQL 8 or MariaDB 10.6+). */
public final class Database {

  private Database() {}

  /** The pool of this service's own schema, from {@code txc.jdbc.url / user / password}. */
  public static HikariDataSource fromSettings(String poolName) {
    return open(
        poolName,
        Settings.required("txc.jdbc.url"),
        Settings.string("txc.jdbc.user", "root"),
        Settings.string("txc.jdbc.password", ""),
        (int) Settings.longValue("txc.jdbc.pool", 16));
  }

  public static HikariDataSource open(
      String poolName, String url, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(30_000);
    return new HikariDataSource(config);
  }
}
