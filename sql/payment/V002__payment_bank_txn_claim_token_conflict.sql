-- Issue 13. bank_id: the bank that reported bank_txn_no; (bank_id, bank_txn_no) is unique, so one
-- bank transaction settles at most one payment (enforced here, not only by the service's
-- pre-check: two callbacks racing with one bank transaction for two payments cannot both claim).
-- A claim that is given back clears both, so only a claimed or settled payment holds a bank
-- transaction. claim_token: the owner of the current claim, a random token set by the claim's
-- UPDATE; binding the global transaction and giving the claim back are guarded by it, so a stalled
-- callback whose claim was released and re-claimed by another changes nothing.
ALTER TABLE payment_order
  ADD COLUMN bank_id     VARCHAR(32) NULL AFTER xid,
  ADD COLUMN claim_token VARCHAR(64) NULL AFTER claimed_at,
  ADD UNIQUE KEY uk_payment_bank_txn (bank_id, bank_txn_no);

-- Bank results that contradict what a payment already holds (success after FAILED or the reverse,
-- or another bank transaction for a claimed or settled payment): refused as
-- CONFLICTING_BANK_RESULT, recorded here for the operator, and alerted (ERROR log, alert key
-- payment-conflict).
CREATE TABLE IF NOT EXISTS payment_conflict (
  id                  BIGINT       NOT NULL AUTO_INCREMENT,
  payment_no          VARCHAR(64)  NOT NULL,
  bank_id             VARCHAR(32)  NOT NULL,
  bank_txn_no         VARCHAR(64)  NOT NULL,
  reported_status     VARCHAR(16)  NOT NULL,
  recorded_status     VARCHAR(16)  NOT NULL,
  recorded_bank_id    VARCHAR(32)  NULL,
  recorded_bank_txn_no VARCHAR(64) NULL,
  reported_at         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_payment_conflict_payment (payment_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
