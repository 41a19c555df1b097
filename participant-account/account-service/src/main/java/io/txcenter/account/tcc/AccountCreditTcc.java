package io.txcenter.account.tcc;

import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.store.CreditRecord;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The account-credit TCC action on the account schema. Runs inside Seata's fence: each phase shares
 * one local transaction with its {@code tcc_fence_log} row.
 */
public class AccountCreditTcc implements AccountCreditAction {

  private static final Logger log = LoggerFactory.getLogger(AccountCreditTcc.class);

  private final AccountMapper accounts;

  public AccountCreditTcc(AccountMapper accounts) {
    this.accounts = accounts;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected AccountCreditTcc() {
    this.accounts = null;
  }

  @Override
  public void tryCredit(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "accountId") String accountId,
      @BusinessActionContextParameter(paramName = "bizNo") String bizNo,
      @BusinessActionContextParameter(paramName = "amount") long amount) {
    if (accounts.addPending(accountId, amount) == 0) {
      throw new AccountException(
          AccountErrorCode.UNKNOWN_ACCOUNT, accountId, "account [" + accountId + "] not found");
    }
    try {
      accounts.insertCredit(
          new CreditRecord(
              context.getXid(),
              context.getBranchId(),
              accountId,
              bizNo,
              amount,
              CreditRecord.TRIED));
    } catch (DuplicateKeyException e) {
      // uk_account_credit_live: one live credit per business number (a payment)
      throw new AccountException(
          AccountErrorCode.DUPLICATE_RESERVATION,
          accountId,
          "[" + bizNo + "] already holds a credit");
    }
    log.info(
        "account credit pending xid={} branch={} biz={} account={} amount={}",
        context.getXid(),
        context.getBranchId(),
        bizNo,
        accountId,
        amount);
  }

  // READ COMMITTED: under REPEATABLE READ the fence's SELECT ... FOR UPDATE of a missing row takes
  // gap locks, and a concurrent Try's insert then deadlocks with it (seata #6679).
  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean confirm(BusinessActionContext context) {
    CreditRecord record = accounts.findCreditForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !CreditRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (accounts.confirmPending(record.accountId(), record.amount()) != 1) {
      throw new IllegalStateException("pending credit missing for " + describe(record));
    }
    accounts.settleCredit(
        record.xid(), record.branchId(), CreditRecord.TRIED, CreditRecord.CONFIRMED);
    log.info(
        "account credited xid={} branch={} biz={} account={} amount={}",
        record.xid(),
        record.branchId(),
        record.bizNo(),
        record.accountId(),
        record.amount());
    return true;
  }

  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean cancel(BusinessActionContext context) {
    CreditRecord record = accounts.findCreditForUpdate(context.getXid(), context.getBranchId());
    if (record == null || !CreditRecord.TRIED.equals(record.status())) {
      return true;
    }
    if (accounts.releasePending(record.accountId(), record.amount()) != 1) {
      throw new IllegalStateException("pending credit missing for " + describe(record));
    }
    accounts.settleCredit(
        record.xid(), record.branchId(), CreditRecord.TRIED, CreditRecord.CANCELLED);
    log.info(
        "account credit cancelled xid={} branch={} biz={} account={} amount={}",
        record.xid(),
        record.branchId(),
        record.bizNo(),
        record.accountId(),
        record.amount());
    return true;
  }

  private static String describe(CreditRecord record) {
    return "xid="
        + record.xid()
        + " branch="
        + record.branchId()
        + " biz="
        + record.bizNo()
        + " account="
        + record.accountId();
  }
}
