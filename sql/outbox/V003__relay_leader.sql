-- The relay leader's epoch per outbox (LeaderEpoch in txc-relay): a relay that takes the
-- ZooKeeper latch raises the epoch before its first pass, and every write it makes to this outbox
-- carries the epoch it holds, checked in the same statement or transaction under a shared lock on
-- this row. A leader that was paused past its ZooKeeper session and woke beside a new one writes
-- nothing: its epoch is no longer the row's, and the new leader's raise waited for any statement
-- of the old one still in flight.
CREATE TABLE IF NOT EXISTS relay_leader (
  outbox      VARCHAR(64)  NOT NULL,
  epoch       BIGINT       NOT NULL,
  holder      VARCHAR(128) NOT NULL,
  acquired_at DATETIME(3)  NOT NULL,
  PRIMARY KEY (outbox)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
