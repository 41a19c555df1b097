-- The idempotent consumer's dedupe record alone (IdempotentConsumer.DDL_SET), for a service that
-- consumes events into its own business tables: one row per (consumer group, message) applied,
-- written in the same local transaction as the effect. The same table as in the consumer set.
CREATE TABLE IF NOT EXISTS consumed_message (
  consumer_group VARCHAR(64) NOT NULL,
  message_id     VARCHAR(64) NOT NULL,
  consumed_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
