package io.txcenter.tools.cli;

import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@code bin/txc notify list | retry <id>}: the merchant notifications of the payment service. */
public final class NotifyCommand {

  private final JdbcTemplate jdbc;
  private final PrintStream out;

  public NotifyCommand(TopologyConfig config, PrintStream out) {
    this.jdbc =
        new JdbcTemplate(
            new DriverManagerDataSource(
                config.jdbcUrl(config.schema("notify")), config.dbUser(), config.dbPassword()));
    this.out = out;
  }

  int run(List<String> args) {
    String verb = args.isEmpty() ? "list" : args.get(0);
    switch (verb) {
      case "list" -> {
        for (Map<String, Object> row :
            jdbc.queryForList(
                "SELECT n.id, n.payment_no, n.merchant_id, n.payment_status, n.state, n.attempts,"
                    + " n.acked_at, (SELECT a.outcome FROM notify_attempt a WHERE a.notify_id ="
                    + " n.id ORDER BY a.id DESC LIMIT 1) AS last FROM merchant_notify n ORDER BY"
                    + " n.id")) {
          out.printf(
              "  id=%s payment=%s merchant=%s status=%s state=%s attempts=%s acked_at=%s last=%s%n",
              row.get("id"),
              row.get("payment_no"),
              row.get("merchant_id"),
              row.get("payment_status"),
              row.get("state"),
              row.get("attempts"),
              row.get("acked_at"),
              row.get("last"));
        }
        return 0;
      }
      case "retry" -> {
        if (args.size() != 2 || !args.get(1).matches("\\d{1,18}")) {
          throw new CliException("usage: bin/txc notify retry <id>");
        }
        if (!retry(Long.parseLong(args.get(1)))) {
          throw new CliException("no unacknowledged notification with id [" + args.get(1) + "]");
        }
        out.println("notification " + args.get(1) + " queued for a new round of attempts");
        return 0;
      }
      default -> throw new CliException("usage: bin/txc notify list | retry <id>");
    }
  }

  /** Puts an unacknowledged notification back at the start of its ladder, due now. */
  public boolean retry(long id) {
    return jdbc.update(
            "UPDATE merchant_notify SET state = 'PENDING', attempts = 0, next_attempt_at = NOW(3),"
                + " version = version + 1 WHERE id = ? AND state <> 'ACKED'",
            id)
        == 1;
  }
}
