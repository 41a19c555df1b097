-- Points of users in one channel (one schema per channel).
-- Invariant: available + frozen + spent - credited = granted.
CREATE TABLE IF NOT EXISTS user_points (
  channel_id VARCHAR(32) NOT NULL,
  user_id    BIGINT      NOT NULL,
  available  BIGINT      NOT NULL,
  frozen     BIGINT      NOT NULL DEFAULT 0,
  spent      BIGINT      NOT NULL DEFAULT 0,
  credited   BIGINT      NOT NULL DEFAULT 0,
  granted    BIGINT      NOT NULL,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (channel_id, user_id),
  CONSTRAINT ck_points_non_negative CHECK (available >= 0 AND frozen >= 0 AND spent >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- What one Try reserved, keyed by its branch; Confirm/Cancel settle exactly this.
CREATE TABLE IF NOT EXISTS points_freeze (
  xid        VARCHAR(128) NOT NULL,
  branch_id  BIGINT       NOT NULL,
  channel_id VARCHAR(32)  NOT NULL,
  order_no   VARCHAR(64)  NOT NULL,
  user_id    BIGINT       NOT NULL,
  points     BIGINT       NOT NULL,
  status     VARCHAR(16)  NOT NULL,
  created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (xid, branch_id),
  KEY idx_points_freeze_order (channel_id, order_no),
  KEY idx_points_freeze_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
