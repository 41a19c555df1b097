package io.txcenter.tools.topology;

import java.io.IOException;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many global sessions the TC still holds: from its {@code global_table} when the store is the
 * database ({@code --tc-store db}, {@code --ha}), else from the console's session API (file store),
 * since the file store can only be read by the TC itself.
 */
public final class TcSessions {

  private final TopologyConfig config;
  private final JdbcTemplate jdbc;
  private final TcConsole console;

  public TcSessions(TopologyConfig config, JdbcTemplate jdbc) {
    this.config = config;
    this.jdbc = jdbc;
    this.console = new TcConsole(config);
  }

  boolean storeIsDatabase() {
    return config.ha() || "db".equals(config.tcStore());
  }

  /** Global sessions held by the TC; a TC that cannot be asked counts as holding none. */
  public long count() {
    if (storeIsDatabase()) {
      return Objects.requireNonNull(
          jdbc.queryForObject(
              "SELECT COUNT(*) FROM " + config.schema("seata") + ".global_table", Long.class));
    }
    try {
      return console.count();
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
