-- Idempotent consumer: one row per (consumer group, message) applied, written in the same local
-- transaction as the effect; a redelivery finds the row and is acknowledged without effect.
CREATE TABLE IF NOT EXISTS consumed_message (
  consumer_group VARCHAR(64) NOT NULL,
  message_id     VARCHAR(64) NOT NULL,
  consumed_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The effect of an accompaniment subscriber: the event as this group applied it.
CREATE TABLE IF NOT EXISTS accompaniment_event (
  consumer_group VARCHAR(64)  NOT NULL,
  message_id     VARCHAR(64)  NOT NULL,
  topic          VARCHAR(64)  NOT NULL,
  tags           VARCHAR(128) NOT NULL,
  business_key   VARCHAR(64)  NOT NULL,
  payload        TEXT         NOT NULL,
  ready_at       DATETIME(3)  NULL,
  applied_at     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, message_id),
  KEY idx_accompaniment_key (business_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Operator rule: events of these business keys are refused (a poisoned event) until removed.
CREATE TABLE IF NOT EXISTS blocked_key (
  business_key VARCHAR(64)  NOT NULL,
  reason       VARCHAR(256) NOT NULL,
  PRIMARY KEY (business_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
