-- Double-entry vouchers of the accounting consumer: one voucher per payment, its lines sum to 0
-- (positive = debit, negative = credit).
CREATE TABLE IF NOT EXISTS voucher (
  voucher_no   VARCHAR(64) NOT NULL,
  message_id   VARCHAR(64) NOT NULL,
  payment_no   VARCHAR(64) NOT NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (voucher_no),
  UNIQUE KEY uk_voucher_payment (payment_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS voucher_line (
  voucher_no   VARCHAR(64)  NOT NULL,
  line_no      INT          NOT NULL,
  account_code VARCHAR(96)  NOT NULL,
  amount_cents BIGINT       NOT NULL,
  PRIMARY KEY (voucher_no, line_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
