-- Best-effort merchant notifications: one record per notification event, attempted on an
-- increasing interval ladder until the merchant acknowledges (ACKED) or the ladder ends (GAVE_UP;
-- the merchant reconciles with queryPayment, an operator can retry).
CREATE TABLE IF NOT EXISTS merchant_notify (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  message_id      VARCHAR(64)  NOT NULL,
  payment_no      VARCHAR(64)  NOT NULL,
  merchant_id     VARCHAR(64)  NOT NULL,
  payment_status  VARCHAR(16)  NOT NULL,
  payload         TEXT         NOT NULL,
  state           VARCHAR(16)  NOT NULL,
  attempts        INT          NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3)  NOT NULL,
  acked_at        DATETIME(3)  NULL,
  created_at      DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_notify_message (message_id),
  KEY idx_notify_due (state, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS notify_attempt (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  notify_id   BIGINT       NOT NULL,
  attempt     INT          NOT NULL,
  http_status INT          NULL,
  outcome     VARCHAR(256) NOT NULL,
  at          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_notify_attempt (notify_id, attempt)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
