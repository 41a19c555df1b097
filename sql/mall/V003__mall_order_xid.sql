-- The order branch's Confirm and Cancel address the order by its XID (OrderMapper.settle: WHERE
-- xid = ? AND status = ?). Without an index on xid the server took idx_mall_order_status and
-- locked every TRYING order, so concurrent Confirms deadlocked (issue 16's bench: 2 errors at 16
-- callers). With it, each phase locks its own order's row only.
ALTER TABLE mall_order ADD KEY idx_mall_order_xid (xid);
