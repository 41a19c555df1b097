-- Issue 13. The voucher number is "V-" + the payment number, and a payment number has up to 64
-- characters (PaymentService: [A-Za-z0-9_-]{1,64}), so it needs 66: at 63-64 characters the insert
-- failed and the voucher of a PAID payment was dead-lettered for ever. Widened rather than derived
-- (e.g. a hash) so that the voucher number stays readable and the same for every replay.
ALTER TABLE voucher MODIFY voucher_no VARCHAR(66) NOT NULL;
ALTER TABLE voucher_line MODIFY voucher_no VARCHAR(66) NOT NULL;
