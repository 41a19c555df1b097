-- The outbox of an initiator, in the initiator's own schema. A message is PREPARED by the Try
-- of its global transaction's outbox branch, READY on Confirm, DISCARDED on Cancel or when a
-- check-back resolves it so. id orders messages (per business key, delivery follows it).
CREATE TABLE IF NOT EXISTS outbox_message (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  message_id   VARCHAR(64)   NOT NULL,
  xid          VARCHAR(128)  NOT NULL,
  branch_id    BIGINT        NOT NULL,
  topic        VARCHAR(64)   NOT NULL,
  tags         VARCHAR(128)  NOT NULL,
  business_key VARCHAR(64)   NOT NULL,
  payload      TEXT          NOT NULL,
  headers      TEXT          NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  resolved_by  VARCHAR(16)   NULL,
  fanned_out   TINYINT       NOT NULL DEFAULT 0,
  created_at   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ready_at     DATETIME(3)   NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_outbox_message_id (message_id),
  KEY idx_outbox_branch (xid, branch_id),
  KEY idx_outbox_status (status, fanned_out, id),
  KEY idx_outbox_key (business_key, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per (message, consumer group) whose subscription matched when the message fanned out.
-- status: PENDING (to deliver or retry), DELIVERED (acknowledged), DEAD (moved to the DLQ).
CREATE TABLE IF NOT EXISTS outbox_delivery (
  message_pk      BIGINT       NOT NULL,
  consumer_group  VARCHAR(64)  NOT NULL,
  business_key    VARCHAR(64)  NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  attempts        INT          NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3)  NOT NULL,
  last_error      VARCHAR(512) NULL,
  delivered_at    DATETIME(3)  NULL,
  created_at      DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (message_pk, consumer_group),
  KEY idx_delivery_due (status, next_attempt_at),
  KEY idx_delivery_order (consumer_group, business_key, status, message_pk)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Deliveries that exhausted the retry ladder. A re-drive sets redriven_at and puts the delivery
-- back to PENDING with a fresh ladder.
CREATE TABLE IF NOT EXISTS outbox_dead_letter (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  message_pk     BIGINT       NOT NULL,
  consumer_group VARCHAR(64)  NOT NULL,
  attempts       INT          NOT NULL,
  last_error     VARCHAR(512) NULL,
  dead_at        DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  redriven_at    DATETIME(3)  NULL,
  PRIMARY KEY (id),
  KEY idx_dead_letter_open (redriven_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Counters of the relay (delivered, retried, dead, check-back outcomes), for operators.
CREATE TABLE IF NOT EXISTS outbox_counter (
  name  VARCHAR(64) NOT NULL,
  value BIGINT      NOT NULL,
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
