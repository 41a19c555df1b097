package io.txcenter.points.store;

import io.txcenter.kit.tcc.BranchRecord;

/** What one credit Try recorded ({@code points_credit} row), keyed by its branch. */
public record CreditRecord(
    String xid,
    long branchId,
    String channelId,
    String bizNo,
    long userId,
    long points,
    String status)
    implements BranchRecord {}
