package io.txcenter.fund.store;

import io.txcenter.kit.tcc.BranchRecord;

/**
 * One discount purchase ({@code fund_purchase} row): the main purchase's branch record, keyed by
 * its branch, and the secondary purchase's outcome.
 */
public record PurchaseRecord(
    String purchaseNo,
    String xid,
    long branchId,
    String investorId,
    String targetFund,
    long amount,
    String status,
    long walletUnits,
    String secondary,
    long targetUnits,
    long redeemedUnits,
    long fee)
    implements BranchRecord {}
