package io.txcenter.portal.store;

import io.txcenter.kit.tcc.BranchRecord;
import java.util.List;

/**
 * What one quota-freeze Try reserved: the branch's {@code quota_freeze} rows, one per channel,
 * ordered by channel. Its lines are settled together, so they share one status.
 */
public record QuotaBranch(String xid, long branchId, String orderNo, List<QuotaFreezeRecord> lines)
    implements BranchRecord {

  /**
   * The branch of {@code rows} (all of one branch, ordered by channel), or {@code null} if none.
   */
  public static QuotaBranch of(List<QuotaFreezeRecord> rows) {
    if (rows == null || rows.isEmpty()) {
      return null;
    }
    QuotaFreezeRecord first = rows.get(0);
    return new QuotaBranch(first.xid(), first.branchId(), first.orderNo(), List.copyOf(rows));
  }

  @Override
  public String status() {
    return lines.get(0).status();
  }
}
