package io.txcenter.kit.fence;

import io.txcenter.kit.Settings;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import javax.sql.DataSource;
import org.apache.seata.integration.tx.api.fence.constant.CommonFenceConstant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A parked branch: a {@code tried} branch taken out of phase two, by an operator ({@code bin/txc tx
 * park <xid> --reason …}, docs/operations.md) or by the participant itself once its phase two has
 * kept failing for longer than {@value #PARK_AFTER_SETTING}. Its fence row then holds {@link
 * #STATUS_PARKED} or {@link #STATUS_AUTO_PARKED}, statuses of txcenter's own beside Seata's 1–4:
 * the fast path's guarded update ({@code WHERE status = 1}) misses it, and {@link
 * GuardedFenceHandler}'s fallback refuses the phase with {@link BranchParkedException} before
 * Seata's handler could settle the row. The TC keeps the session and retries (Seata 2.0's TC has no
 * stopped state of its own); the reservation stays frozen, and the clean task never deletes the
 * row. {@code bin/txc tx retry <xid> --reason …} moves the row back to {@code tried}, and so does
 * the participant's next start for the rows it parked itself ({@link #releaseAutoParked}); the TC's
 * next retry, within a second, then runs the phase.
 */
public final class FenceParking {

  /**
   * The fence status of a branch an operator parked (Seata's: 1 tried, 2 committed, 3 rollbacked, 4
   * suspended).
   */
  public static final int STATUS_PARKED = 9;

  /** The fence status of a branch the participant parked itself. */
  public static final int STATUS_AUTO_PARKED = 8;

  /**
   * How long a branch's phase two may keep failing before the participant parks it (ISO-8601, PT10M
   * by default; PT0S: never).
   */
  public static final String PARK_AFTER_SETTING = "txc.fence.park-after";

  private static final Logger log = LoggerFactory.getLogger(FenceParking.class);

  private FenceParking() {}

  /** True for either parked status. */
  public static boolean isParked(int status) {
    return status == STATUS_PARKED || status == STATUS_AUTO_PARKED;
  }

  /** {@value #PARK_AFTER_SETTING}; {@link Duration#ZERO} turns automatic parking off. */
  public static Duration parkAfterFromSettings() {
    String text = Settings.string(PARK_AFTER_SETTING, "PT10M").trim();
    Duration parkAfter;
    try {
      parkAfter = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new Settings.SettingException(
          PARK_AFTER_SETTING, "must be an ISO-8601 duration such as PT10M", text);
    }
    if (parkAfter.isNegative()
        || (!parkAfter.isZero() && parkAfter.compareTo(Duration.ofSeconds(10)) < 0)) {
      throw new Settings.SettingException(
          PARK_AFTER_SETTING, "must be PT0S (never) or at least PT10S", text);
    }
    return parkAfter;
  }

  /**
   * Gives the branches this participant parked itself back to phase two. Called at start, when the
   * participant's provider is about to register in ZooKeeper again, so that the TC's next retry
   * (within a second) runs them. Branches an operator parked stay parked.
   */
  public static int releaseAutoParked(DataSource dataSource) {
    int released =
        new JdbcTemplate(dataSource)
            .update(
                "UPDATE tcc_fence_log SET status = ?, gmt_modified = ? WHERE status = ?",
                CommonFenceConstant.STATUS_TRIED,
                new Timestamp(System.currentTimeMillis()),
                STATUS_AUTO_PARKED);
    if (released > 0) {
      log.info("fence released {} automatically parked branch(es) at start", released);
    }
    return released;
  }

  /** Phase two of a parked branch was refused; nothing ran and nothing changed. */
  public static final class BranchParkedException extends IllegalStateException {
    public BranchParkedException(String xid, long branchId) {
      super(
          "branch parked: xid="
              + xid
              + " branch="
              + branchId
              + "; phase two is refused until bin/txc tx retry releases it");
    }
  }
}
