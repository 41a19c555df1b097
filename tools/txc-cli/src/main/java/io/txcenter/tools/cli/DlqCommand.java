package io.txcenter.tools.cli;

import io.txcenter.outbox.DeadLetters;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code bin/txc dlq list | redrive <id> | redrive --all [--outbox mall|payment|fund]}: the
 * dead-letter queue of one outbox (the mall's by default).
 */
public final class DlqCommand {

  private final TopologyConfig config;
  private final PrintStream out;

  DlqCommand(TopologyConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public static DeadLetters deadLetters(TopologyConfig config) {
    return deadLetters(config, "mall");
  }

  /** The dead letters of {@code outbox}, in its owner's schema (from the owner's descriptor). */
  static DeadLetters deadLetters(TopologyConfig config, String outbox) {
    List<Topology.OutboxOwner> outboxes = new Topology(config).outboxes();
    Topology.OutboxOwner owner =
        outboxes.stream()
            .filter(o -> o.name().equals(outbox))
            .findFirst()
            .orElseThrow(
                () ->
                    new CliException(
                        "--outbox must be one of "
                            + outboxes.stream().map(Topology.OutboxOwner::name).toList()
                            + ", was ["
                            + outbox
                            + "]"));
    return new DeadLetters(
        new DriverManagerDataSource(
            config.jdbcUrl(owner.schema()), config.dbUser(), config.dbPassword()));
  }

  int run(List<String> args, Map<String, String> options) {
    String outbox = options.getOrDefault("outbox", "mall");
    DeadLetters dlq = deadLetters(config, outbox);
    String verb = args.isEmpty() ? "list" : args.get(0);
    switch (verb) {
      case "list" -> {
        List<Map<String, Object>> open = dlq.open();
        out.printf("%d dead letters%n", open.size());
        for (Map<String, Object> row : open) {
          out.printf(
              "  id=%s group=%s key=%s tags=%s attempts=%s dead_at=%s message=%s%n    error: %s%n",
              row.get("id"),
              row.get("consumer_group"),
              row.get("business_key"),
              row.get("tags"),
              row.get("attempts"),
              row.get("dead_at"),
              row.get("message_id"),
              row.get("last_error"));
        }
        return 0;
      }
      case "redrive" -> {
        if (options.containsKey("all")) {
          out.printf("re-driven %d dead letters%n", dlq.redriveAll());
          return 0;
        }
        if (args.size() != 2 || !args.get(1).matches("\\d{1,18}")) {
          throw new CliException("usage: bin/txc dlq redrive <id>|--all");
        }
        if (!dlq.redrive(Long.parseLong(args.get(1)))) {
          throw new CliException("no open dead letter with id [" + args.get(1) + "]");
        }
        out.println("re-driven dead letter " + args.get(1));
        return 0;
      }
      default -> throw new CliException("usage: bin/txc dlq list | redrive <id>|--all");
    }
  }
}
