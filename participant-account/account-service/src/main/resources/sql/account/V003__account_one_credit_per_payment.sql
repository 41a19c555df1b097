-- One live credit per business number (a payment) (issue 13, defect 7): see
-- sql/points/V004__points_one_reservation_per_key.sql for why the business table, not the fence,
-- refuses a second one, and why a CANCELLED row frees its key.
ALTER TABLE account_credit
  ADD COLUMN live_key VARCHAR(64)
    AS (IF(status = 'CANCELLED', NULL, biz_no)) STORED,
  ADD UNIQUE KEY uk_account_credit_live (live_key);
