-- Orders and reservations made by the benchmark's baselines (exported only with
-- txc.bench.enabled), so the audit can tell them from the real, atomic order path. path:
-- PLAIN (placePlain: the order, then spends and quota uses outside any global transaction, keyed
-- 'direct:...'), BRANCHES (placeWithBranches: `branches` one-point freezes of keys
-- <order_no>-b<i> under global transaction xid, with no mall_order). Written in the same local
-- transaction as the order (PLAIN) or before the first Try (BRANCHES).
CREATE TABLE IF NOT EXISTS bench_order (
  order_no   VARCHAR(64)  NOT NULL,
  path       VARCHAR(16)  NOT NULL,
  xid        VARCHAR(128) NOT NULL,
  branches   INT          NOT NULL DEFAULT 0,
  operator   VARCHAR(32)  NOT NULL,
  created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (order_no),
  KEY idx_bench_order_xid (xid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
