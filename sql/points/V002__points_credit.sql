-- Points awarded by a payment, keyed by its branch. A credit is TRIED (not spendable, not in
-- available) until Confirm adds it to available and credited; Cancel drops it.
CREATE TABLE IF NOT EXISTS points_credit (
  xid        VARCHAR(128) NOT NULL,
  branch_id  BIGINT       NOT NULL,
  channel_id VARCHAR(32)  NOT NULL,
  biz_no     VARCHAR(64)  NOT NULL,
  user_id    BIGINT       NOT NULL,
  points     BIGINT       NOT NULL,
  status     VARCHAR(16)  NOT NULL,
  created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (xid, branch_id),
  KEY idx_points_credit_biz (channel_id, biz_no),
  KEY idx_points_credit_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
