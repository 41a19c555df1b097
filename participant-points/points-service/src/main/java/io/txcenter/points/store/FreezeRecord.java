package io.txcenter.points.store;

import io.txcenter.kit.tcc.BranchRecord;

/** What one Try reserved ({@code points_freeze} row), keyed by its branch. */
public record FreezeRecord(
    String xid,
    long branchId,
    String channelId,
    String orderNo,
    long userId,
    long points,
    String status)
    implements BranchRecord {}
