package io.txcenter.account.store;

import io.txcenter.kit.tcc.BranchRecord;

/** What one Try credited as pending ({@code account_credit} row), keyed by its branch. */
public record CreditRecord(
    String xid, long branchId, String accountId, String bizNo, long amount, String status)
    implements BranchRecord {}
