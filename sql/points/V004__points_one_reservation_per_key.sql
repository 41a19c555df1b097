-- One live reservation per business key (issue 13, defect 7). The fence keys on (xid, branch_id),
-- so a second branch of the same global transaction (or another transaction) passes it: the
-- business table refuses it. live_key is the business key while the row is TRIED or CONFIRMED and
-- NULL once CANCELLED (NULLs never collide), so a key whose reservation was cancelled can be
-- reserved again by a later global transaction (a payment retried after a rollback).
ALTER TABLE points_freeze
  ADD COLUMN live_key VARCHAR(64)
    AS (IF(status = 'CANCELLED', NULL, order_no)) STORED,
  ADD UNIQUE KEY uk_points_freeze_live (channel_id, live_key);

ALTER TABLE points_credit
  ADD COLUMN live_key VARCHAR(64)
    AS (IF(status = 'CANCELLED', NULL, biz_no)) STORED,
  ADD UNIQUE KEY uk_points_credit_live (channel_id, live_key);
