package io.txcenter.account.tcc;

import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.store.CreditRecord;
import io.txcenter.kit.tcc.BranchRecordTcc;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The account-credit TCC action on the account schema. Runs inside Seata's fence: each phase shares
 * one local transaction with its {@code tcc_fence_log} row.
 */
public class AccountCreditTcc extends BranchRecordTcc<CreditRecord> implements AccountCreditAction {

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

  @Override
  protected CreditRecord recordFromContext(BusinessActionContext c) {
    return new CreditRecord(
        c.getXid(),
        c.getBranchId(),
        contextValue(c, "accountId", String.class),
        contextValue(c, "bizNo", String.class),
        contextValue(c, "amount", Long.class),
        CreditRecord.TRIED);
  }

  @Override
  protected boolean settleIfTried(CreditRecord expected, String status) {
    return accounts.settleCreditIfTried(expected, status) == 1;
  }

  @Override
  protected CreditRecord findForUpdate(String xid, long branchId) {
    return accounts.findCreditForUpdate(xid, branchId);
  }

  @Override
  protected boolean apply(Phase phase, CreditRecord r) {
    return (phase == Phase.CONFIRM
            ? accounts.confirmPending(r.accountId(), r.amount())
            : accounts.releasePending(r.accountId(), r.amount()))
        == 1;
  }

  @Override
  protected void markSettled(CreditRecord r, String status) {
    accounts.settleCredit(r.xid(), r.branchId(), CreditRecord.TRIED, status);
  }
}
