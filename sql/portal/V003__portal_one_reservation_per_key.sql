-- One live quota reservation per (channel, order) (issue 13, defect 7): see
-- sql/points/V004__points_one_reservation_per_key.sql for why the business table, not the fence,
-- refuses a second one, and why a CANCELLED row frees its key.
ALTER TABLE quota_freeze
  ADD COLUMN live_key VARCHAR(64)
    AS (IF(status = 'CANCELLED', NULL, order_no)) STORED,
  ADD UNIQUE KEY uk_quota_freeze_live (channel_id, live_key);
