-- Alerts the relay raised for this outbox, one row per (alert, subject), for operators and the
-- audit: BAD_SUBSCRIPTION (subject topic/group), NO_SUBSCRIPTION (subject the message id),
-- STEP_FAILED (subject the step, topic, group or branch that failed), DEAD_LETTER (subject
-- message id/group). A repeat of an open alert bumps times and last_at instead of adding a row.
-- Times of the outbox tables are UTC (UTC_TIMESTAMP(3)), whatever the session's time zone.
CREATE TABLE IF NOT EXISTS outbox_alert (
  id        BIGINT        NOT NULL AUTO_INCREMENT,
  alert     VARCHAR(32)   NOT NULL,
  subject   VARCHAR(191)  NOT NULL,
  detail    VARCHAR(512)  NOT NULL,
  times     BIGINT        NOT NULL DEFAULT 1,
  first_at  DATETIME(3)   NOT NULL,
  last_at   DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_outbox_alert (alert, subject)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
