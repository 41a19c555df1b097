-- Payment orders of the payment platform. status: CREATED (awaiting the bank), PROCESSING (one
-- bank callback claimed it and runs its global transaction; claimed_at bounds the claim), PAID,
-- FAILED. target_status is what the running transaction's Confirm will set.
CREATE TABLE IF NOT EXISTS payment_order (
  payment_no    VARCHAR(64)  NOT NULL,
  merchant_id   VARCHAR(64)  NOT NULL,
  user_id       BIGINT       NOT NULL,
  channel_id    VARCHAR(32)  NOT NULL,
  amount_cents  BIGINT       NOT NULL,
  award_points  BIGINT       NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  target_status VARCHAR(16)  NULL,
  xid           VARCHAR(128) NULL,
  bank_txn_no   VARCHAR(64)  NULL,
  fail_reason   VARCHAR(256) NULL,
  claimed_at    DATETIME(3)  NULL,
  created_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (payment_no),
  KEY idx_payment_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
