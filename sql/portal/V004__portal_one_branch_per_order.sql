-- One quota-freeze branch per order (issue 16, lever 1): a branch holds one row per channel of the
-- order, so the key of a reservation row is its branch and its channel.
ALTER TABLE quota_freeze DROP PRIMARY KEY, ADD PRIMARY KEY (xid, branch_id, channel_id);
