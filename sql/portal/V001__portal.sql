-- Quota the portal grants each channel. Invariant: available + frozen + used = granted.
CREATE TABLE IF NOT EXISTS channel_quota (
  channel_id VARCHAR(32) NOT NULL,
  granted    BIGINT      NOT NULL,
  available  BIGINT      NOT NULL,
  frozen     BIGINT      NOT NULL DEFAULT 0,
  used       BIGINT      NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (channel_id),
  CONSTRAINT ck_quota_non_negative CHECK (available >= 0 AND frozen >= 0 AND used >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS quota_freeze (
  xid        VARCHAR(128) NOT NULL,
  branch_id  BIGINT       NOT NULL,
  channel_id VARCHAR(32)  NOT NULL,
  order_no   VARCHAR(64)  NOT NULL,
  amount     BIGINT       NOT NULL,
  status     VARCHAR(16)  NOT NULL,
  created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (xid, branch_id),
  KEY idx_quota_freeze_order (channel_id, order_no),
  KEY idx_quota_freeze_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
