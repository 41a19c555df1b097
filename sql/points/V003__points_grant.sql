-- Operator grants of points: who granted how many points to whom, when and why, written in the
-- same local transaction as the raise of user_points.granted. The audit reconciles
-- user_points.granted with the sum of these rows, both ways.
CREATE TABLE IF NOT EXISTS points_grant (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  channel_id VARCHAR(32)  NOT NULL,
  user_id    BIGINT       NOT NULL,
  points     BIGINT       NOT NULL,
  operator   VARCHAR(32)  NOT NULL,
  reason     VARCHAR(128) NOT NULL,
  granted_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_points_grant_user (channel_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
