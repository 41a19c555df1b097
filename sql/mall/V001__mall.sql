-- Mall orders paid with points. status: TRYING (inside its global transaction),
-- CONFIRMED, CANCELLED. reject_code records why a cancelled order was refused.
CREATE TABLE IF NOT EXISTS mall_order (
  order_no     VARCHAR(64)  NOT NULL,
  user_id      BIGINT       NOT NULL,
  total_points BIGINT       NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  xid          VARCHAR(128) NOT NULL,
  reject_code  VARCHAR(32)  NULL,
  created_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (order_no),
  KEY idx_mall_order_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS order_line (
  order_no   VARCHAR(64) NOT NULL,
  channel_id VARCHAR(32) NOT NULL,
  points     BIGINT      NOT NULL,
  PRIMARY KEY (order_no, channel_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
