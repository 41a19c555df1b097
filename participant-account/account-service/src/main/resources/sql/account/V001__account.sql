-- Accounts of the payment platform. A credit is pending (visible, not spendable) between
-- Try and Confirm. Invariant: balance = opening_balance + confirmed credits.
CREATE TABLE IF NOT EXISTS account (
  account_id      VARCHAR(64) NOT NULL,
  balance         BIGINT      NOT NULL,
  pending_credit  BIGINT      NOT NULL DEFAULT 0,
  opening_balance BIGINT      NOT NULL,
  updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (account_id),
  CONSTRAINT ck_account_non_negative CHECK (balance >= 0 AND pending_credit >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS account_credit (
  xid        VARCHAR(128) NOT NULL,
  branch_id  BIGINT       NOT NULL,
  account_id VARCHAR(64)  NOT NULL,
  biz_no     VARCHAR(64)  NOT NULL,
  amount     BIGINT       NOT NULL,
  status     VARCHAR(16)  NOT NULL,
  created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (xid, branch_id),
  KEY idx_account_credit_biz (biz_no),
  KEY idx_account_credit_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
