-- Seata AT's undo log (Seata's own DDL for MySQL, script/client/at/db/mysql.sql), for the
-- benchmark's AT arm only: each bench plugin applies this set to its process's schema at start, so
-- only a schema of a bench run ever holds the table. A branch's row holds the before and after
-- images of its local transaction, written in that transaction; Seata deletes it once the global
-- transaction is committed (asynchronously) or rolled back (with the undo).
CREATE TABLE IF NOT EXISTS undo_log (
  branch_id     BIGINT       NOT NULL,
  xid           VARCHAR(128) NOT NULL,
  context       VARCHAR(128) NOT NULL,
  rollback_info LONGBLOB     NOT NULL,
  log_status    INT          NOT NULL,
  log_created   DATETIME(6)  NOT NULL,
  log_modified  DATETIME(6)  NOT NULL,
  UNIQUE KEY ux_undo_log (xid, branch_id),
  KEY ix_log_created (log_created)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
