package io.txcenter.portal.store;

import io.txcenter.kit.tcc.BranchRecord;

/** What one Try reserved ({@code quota_freeze} row), keyed by its branch. */
public record QuotaFreezeRecord(
    String xid, long branchId, String channelId, String orderNo, long amount, String status)
    implements BranchRecord {}
