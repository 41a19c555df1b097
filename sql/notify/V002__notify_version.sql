-- Optimistic guard of merchant_notify: every change of a notification (an attempt's outcome, an
-- operator's `notify retry`) adds 1 to version, and an attempt writes its outcome only if the
-- version is still the one it read, so an operator's retry during an attempt is never overwritten.
ALTER TABLE merchant_notify ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
