package io.txcenter.account;

import io.txcenter.account.api.AccountBalance;
import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.account.api.CreditRequest;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.tcc.AccountCreditAction;
import io.txcenter.kit.Echo;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.OperatorAction;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.validation.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The Dubbo provider of the accounts: validates, then runs the TCC action's Try. */
public final class AccountServiceImpl implements AccountService {

  private static final Logger log = LoggerFactory.getLogger(AccountServiceImpl.class);

  private final AccountCreditAction creditAction;
  private final AccountMapper accounts;
  private final TransactionTemplate local;

  public AccountServiceImpl(
      AccountCreditAction creditAction,
      AccountMapper accounts,
      PlatformTransactionManager transactions) {
    this.creditAction = creditAction;
    this.accounts = accounts;
    this.local = new TransactionTemplate(transactions);
    this.local.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  @Override
  public void tryCredit(CreditRequest request) {
    if (request == null) {
      throw invalid(null, "'request' must not be null");
    }
    requireAccountId(request.accountId());
    requireBizNo(request.accountId(), request.bizNo());
    requireAmount(request.accountId(), "amount", request.amount(), 1);
    String xid = ParticipantRuntime.currentXid();
    if (xid == null) {
      throw new AccountException(
          AccountErrorCode.NO_GLOBAL_TRANSACTION,
          request.accountId(),
          "tryCredit must run inside a global transaction, biz [" + request.bizNo() + "]");
    }
    try {
      creditAction.tryCredit(null, request.accountId(), request.bizNo(), request.amount());
    } catch (AccountException e) {
      log.info(
          "account credit refused xid={} biz={} account={} code={}",
          xid,
          request.bizNo(),
          request.accountId(),
          e.code());
      throw e;
    } catch (RuntimeException e) {
      if (FenceErrors.isSuspended(e)) {
        log.warn(
            "account credit after cancel refused xid={} biz={} account={}",
            xid,
            request.bizNo(),
            request.accountId());
        throw new AccountException(
            AccountErrorCode.BRANCH_SUSPENDED,
            request.accountId(),
            "branch already cancelled, biz [" + request.bizNo() + "]");
      }
      if (FenceErrors.isTransactionNotActive(e)) {
        log.warn(
            "account credit outside an active transaction refused xid={} biz={} account={}",
            xid,
            request.bizNo(),
            request.accountId());
        throw new AccountException(
            AccountErrorCode.TRANSACTION_NOT_ACTIVE,
            request.accountId(),
            "global transaction [" + Echo.cut(xid) + "] does not exist or is no longer active");
      }
      log.error(
          "account credit failed xid={} biz={} account={}",
          xid,
          request.bizNo(),
          request.accountId(),
          e);
      throw new AccountException(
          AccountErrorCode.STORAGE_FAILURE,
          request.accountId(),
          "storage failure: " + Echo.cut(e.getMessage()));
    }
  }

  @Override
  public AccountBalance balance(String accountId) {
    requireAccountId(accountId);
    AccountBalance balance = accounts.find(accountId);
    if (balance == null) {
      throw new AccountException(
          AccountErrorCode.UNKNOWN_ACCOUNT, accountId, "account [" + accountId + "] not found");
    }
    return balance;
  }

  @Override
  public boolean hasAccount(String accountId) {
    requireAccountId(accountId);
    return accounts.find(accountId) != null;
  }

  @Override
  public AccountBalance open(String accountId, long openingBalance, String reason) {
    requireAccountId(accountId);
    requireAmount(accountId, "openingBalance", openingBalance, 0);
    String problem = OperatorAction.reasonProblem(reason);
    if (problem != null) {
      throw invalid(accountId, problem);
    }
    String operator = OperatorAction.operator();
    try {
      Boolean created =
          local.execute(
              status -> {
                if (accounts.open(accountId, openingBalance) == 0) {
                  return false;
                }
                // the cause of the opening balance, in the same local transaction
                accounts.insertOpening(accountId, openingBalance, operator, reason);
                return true;
              });
      log.info(
          "account opened account={} openingBalance={} created={} operator={}",
          accountId,
          openingBalance,
          created,
          operator);
      return accounts.find(accountId);
    } catch (RuntimeException e) {
      log.error("account open failed account={}", accountId, e);
      throw new AccountException(
          AccountErrorCode.STORAGE_FAILURE,
          accountId,
          "storage failure: " + Echo.cut(e.getMessage()));
    }
  }

  private static void requireAccountId(String accountId) {
    if (!Ids.isKey(accountId)) {
      throw invalid(Echo.cut(accountId), Ids.refusal("accountId", Ids.KEY, accountId));
    }
  }

  private static void requireBizNo(String accountId, String bizNo) {
    if (!Ids.isKey(bizNo)) {
      throw invalid(accountId, Ids.refusal("bizNo", Ids.KEY, bizNo));
    }
  }

  private static void requireAmount(String accountId, String name, long amount, long min) {
    if (amount < min || amount > MAX_AMOUNT) {
      throw new AccountException(
          AccountErrorCode.INVALID_AMOUNT,
          accountId,
          "'" + name + "' must be in [" + min + ", " + MAX_AMOUNT + "], was [" + amount + "]");
    }
  }

  private static AccountException invalid(String accountId, String message) {
    return new AccountException(AccountErrorCode.INVALID_REQUEST, accountId, message);
  }
}
