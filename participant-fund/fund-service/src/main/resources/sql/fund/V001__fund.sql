-- The fund company's discount purchase (docs/fund.md). Amounts in cents, units are whole units
-- of a fund, NAV in cents per unit: all integers. Invariant per investor, after quiescence:
-- cash + frozen + sum(units * nav) = opening_cash.
CREATE TABLE IF NOT EXISTS fund (
  fund_code VARCHAR(32) NOT NULL,
  kind      VARCHAR(8)  NOT NULL,
  nav_cents BIGINT      NOT NULL,
  on_sale   TINYINT     NOT NULL,
  is_open   TINYINT     NOT NULL,
  PRIMARY KEY (fund_code),
  -- the wallet fund (a money-market fund) holds its NAV at 1 cent per unit: a redemption of any
  -- number of cents is a whole number of units
  CONSTRAINT ck_fund_nav CHECK (nav_cents > 0 AND (kind = 'TARGET' OR nav_cents = 1)),
  CONSTRAINT ck_fund_kind CHECK (kind IN ('WALLET', 'TARGET'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT IGNORE INTO fund (fund_code, kind, nav_cents, on_sale, is_open) VALUES
  ('MMF-WALLET', 'WALLET', 1, 1, 1),
  ('FUND-A', 'TARGET', 123, 1, 1),
  ('FUND-B', 'TARGET', 250, 1, 1),
  ('FUND-X', 'TARGET', 100, 0, 1);

CREATE TABLE IF NOT EXISTS investor (
  investor_id  VARCHAR(64) NOT NULL,
  cash         BIGINT      NOT NULL,
  frozen       BIGINT      NOT NULL DEFAULT 0,
  opening_cash BIGINT      NOT NULL,
  updated_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (investor_id),
  CONSTRAINT ck_investor_non_negative CHECK (cash >= 0 AND frozen >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Operator openings: who opened which investor with what cash, when and why (same local
-- transaction as the investor row).
CREATE TABLE IF NOT EXISTS investor_opening (
  investor_id  VARCHAR(64)  NOT NULL,
  opening_cash BIGINT       NOT NULL,
  operator     VARCHAR(32)  NOT NULL,
  reason       VARCHAR(128) NOT NULL,
  opened_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (investor_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS holding (
  investor_id VARCHAR(64) NOT NULL,
  fund_code   VARCHAR(32) NOT NULL,
  units       BIGINT      NOT NULL,
  PRIMARY KEY (investor_id, fund_code),
  CONSTRAINT ck_holding_non_negative CHECK (units >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per discount purchase: the main purchase's branch record (xid, branch_id, status) and
-- the secondary's outcome. status: TRIED (cash frozen), CONFIRMED (wallet units bought),
-- CANCELLED. secondary: NONE, PENDING (after Confirm), DONE (target fund bought, once).
CREATE TABLE IF NOT EXISTS fund_purchase (
  purchase_no    VARCHAR(64)  NOT NULL,
  xid            VARCHAR(128) NOT NULL,
  branch_id      BIGINT       NOT NULL,
  investor_id    VARCHAR(64)  NOT NULL,
  target_fund    VARCHAR(32)  NOT NULL,
  amount         BIGINT       NOT NULL,
  status         VARCHAR(16)  NOT NULL,
  wallet_units   BIGINT       NOT NULL DEFAULT 0,
  secondary      VARCHAR(16)  NOT NULL DEFAULT 'NONE',
  target_units   BIGINT       NOT NULL DEFAULT 0,
  redeemed_units BIGINT       NOT NULL DEFAULT 0,
  fee            BIGINT       NOT NULL DEFAULT 0,
  created_at     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (purchase_no),
  UNIQUE KEY uk_fund_purchase_branch (xid, branch_id),
  KEY idx_fund_purchase_status (status, secondary)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Operator switches of a fund's subscriptions: who, when, why.
CREATE TABLE IF NOT EXISTS fund_switch (
  id        BIGINT       NOT NULL AUTO_INCREMENT,
  fund_code VARCHAR(32)  NOT NULL,
  is_open   TINYINT      NOT NULL,
  operator  VARCHAR(32)  NOT NULL,
  reason    VARCHAR(128) NOT NULL,
  switched_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
