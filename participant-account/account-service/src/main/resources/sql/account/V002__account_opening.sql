-- Operator openings of accounts: who opened which account with what opening balance, when and why,
-- written in the same local transaction as the account row. The audit requires exactly one per
-- account, with the account's opening_balance, and no opening without its account.
CREATE TABLE IF NOT EXISTS account_opening (
  account_id      VARCHAR(64)  NOT NULL,
  opening_balance BIGINT       NOT NULL,
  operator        VARCHAR(32)  NOT NULL,
  reason          VARCHAR(128) NOT NULL,
  opened_at       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (account_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
