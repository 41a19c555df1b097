-- Operator grants of quota: who granted how much quota to which channel, when and why, written in
-- the same local transaction as the raise of channel_quota.granted. The audit reconciles
-- channel_quota.granted with the sum of these rows, both ways.
CREATE TABLE IF NOT EXISTS quota_grant (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  channel_id VARCHAR(32)  NOT NULL,
  amount     BIGINT       NOT NULL,
  operator   VARCHAR(32)  NOT NULL,
  reason     VARCHAR(128) NOT NULL,
  granted_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_quota_grant_channel (channel_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
