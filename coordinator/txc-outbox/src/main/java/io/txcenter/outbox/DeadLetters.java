package io.txcenter.outbox;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Operator view of an outbox's dead-letter queue: list, and re-drive one or all. */
public final class DeadLetters {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  public DeadLetters(DataSource outboxSchema) {
    this.jdbc = new JdbcTemplate(outboxSchema);
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(outboxSchema));
  }

  /** Dead letters not yet re-driven, oldest first. */
  public List<Map<String, Object>> open() {
    return jdbc.queryForList(
        "SELECT d.id, d.consumer_group, d.attempts, d.dead_at, d.last_error, m.message_id, m.topic,"
            + " m.tags, m.business_key FROM outbox_dead_letter d JOIN outbox_message m ON m.id ="
            + " d.message_pk WHERE d.redriven_at IS NULL ORDER BY d.id");
  }

  /**
   * Puts one dead delivery back on the ladder, from its first step.
   *
   * @return false when {@code id} names no open dead letter
   */
  public boolean redrive(long id) {
    Boolean done =
        transactions.execute(
            status -> {
              List<Map<String, Object>> rows =
                  jdbc.queryForList(
                      "SELECT message_pk, consumer_group FROM outbox_dead_letter"
                          + " WHERE id = ? AND redriven_at IS NULL FOR UPDATE",
                      id);
              if (rows.isEmpty()) {
                return false;
              }
              Map<String, Object> row = rows.get(0);
              jdbc.update(
                  "UPDATE outbox_delivery SET status = 'PENDING', attempts = 0, next_attempt_at ="
                      + " UTC_TIMESTAMP(3), last_error = NULL WHERE message_pk = ? AND consumer_group = ? AND"
                      + " status = 'DEAD'",
                  row.get("message_pk"),
                  row.get("consumer_group"));
              jdbc.update(
                  "UPDATE outbox_dead_letter SET redriven_at = UTC_TIMESTAMP(3) WHERE id = ?", id);
              jdbc.update(
                  "INSERT INTO outbox_counter (name, value) VALUES ('redriven', 1)"
                      + " ON DUPLICATE KEY UPDATE value = value + 1");
              return true;
            });
    return Boolean.TRUE.equals(done);
  }

  /** Re-drives every open dead letter; returns how many. */
  public int redriveAll() {
    int n = 0;
    for (Map<String, Object> row : open()) {
      if (redrive(((Number) row.get("id")).longValue())) {
        n++;
      }
    }
    return n;
  }
}
