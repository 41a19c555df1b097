package io.txcenter.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies each message at most once per consumer group: inserts {@code (consumer_group,
 * message_id)} into {@code consumed_message} in the same local transaction as the effect, and
 * treats a duplicate key as "already applied". The effect writes through {@link #jdbc()}, which
 * joins that transaction.
 */
public final class IdempotentConsumer {

  /**
   * The DDL set of the dedupe table alone ({@code consumed_message}), for a service that consumes
   * into its own business tables: add it to the sets its runtime migrates.
   */
  public static final String DDL_SET = "dedupe";

  private final String consumerGroup;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  public IdempotentConsumer(String consumerGroup, DataSource dataSource) {
    this.consumerGroup = consumerGroup;
    this.jdbc = new JdbcTemplate(dataSource);
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** What happened to one delivery. */
  public enum Outcome {
    APPLIED,
    ALREADY_APPLIED
  }

  /**
   * Runs {@code effect} once for {@code messageId}. A failing effect rolls the dedupe row back with
   * it, so the message is applied by a later delivery.
   */
  public Outcome consume(String messageId, Runnable effect) {
    Outcome outcome;
    try {
      outcome = applyOnce(messageId, effect);
    } catch (RuntimeException e) {
      count("failed");
      throw e;
    }
    count(outcome == Outcome.APPLIED ? "applied" : "duplicate");
    return outcome;
  }

  /**
   * {@code txc_consumer_messages_total{group, outcome}} (applied, duplicate, failed), on
   * Micrometer's global registry (docs/operations.md).
   */
  private void count(String outcome) {
    Counter.builder("txc.consumer.messages")
        .description("messages this consumer group was handed, by outcome")
        .tag("group", consumerGroup)
        .tag("outcome", outcome)
        .register(Metrics.globalRegistry)
        .increment();
  }

  private Outcome applyOnce(String messageId, Runnable effect) {
    return transactions.execute(
        status -> {
          try {
            jdbc.update(
                "INSERT INTO consumed_message (consumer_group, message_id) VALUES (?, ?)",
                consumerGroup,
                messageId);
          } catch (DuplicateKeyException e) {
            // only the dedupe row's key means "already applied"; the effect's own errors,
            // duplicate keys included, propagate and roll the dedupe row back with them
            return Outcome.ALREADY_APPLIED;
          }
          effect.run();
          return Outcome.APPLIED;
        });
  }

  public JdbcTemplate jdbc() {
    return jdbc;
  }

  public String consumerGroup() {
    return consumerGroup;
  }
}
