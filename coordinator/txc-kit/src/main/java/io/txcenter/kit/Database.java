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
    // Every transaction of the product runs READ COMMITTED: Try, Confirm and Cancel write with
    // guarded UPDATEs and keyed INSERTs, and the fence's SELECT ... FOR UPDATE of a missing row
    // takes gap locks under REPEATABLE READ that deadlock concurrent Tries (seata #6679). As the
    // pool's default, no transaction has to switch the session's level and switch it back.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // The driver asked the server for the session's read-only flag before every write and for the
    // isolation level before every transaction: a third of a TCC branch's statements (docs/bench).
    // Only the driver changes session state here, so its own record of it can be trusted.
    config.addDataSourceProperty("useLocalSessionState", "true");
    config.addDataSourceProperty("cachePrepStmts", "true");
    config.addDataSourceProperty("prepStmtCacheSize", "256");
    config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
    config.addDataSourceProperty("cacheServerConfiguration", "true");
    return new HikariDataSource(config);
  }
}
