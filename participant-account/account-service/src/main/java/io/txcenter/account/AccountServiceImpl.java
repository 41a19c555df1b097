package io.txcenter.account;

import io.txcenter.account.api.AccountBalance;
import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.account.api.CreditRequest;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.tcc.AccountCreditAction;
import io.txcenter.kit.Echo;
import io.txcenter.kit.OperatorAction;
import io.txcenter.kit.tcc.TryGuard;
import io.txcenter.kit.validation.Ids;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The Dubbo provider of the accounts: validates, then runs the TCC action's Try. */
public final class AccountServiceImpl implements AccountService {

  private static final Logger log = LoggerFactory.getLogger(AccountServiceImpl.class);

  private static final Function<TryGuard.Outcome, AccountErrorCode> CODES =
      TryGuard.codesNamedAlike(AccountErrorCode.class);

  private static final TryGuard<AccountException> GUARD =
      new TryGuard<>(log, "account", "biz", AccountException.class, AccountException::code);

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
    String accountId = request.accountId();
    GUARD.run(
        "tryCredit",
        "credit",
        request.bizNo(),
        "account=" + accountId,
        (outcome, message) -> new AccountException(CODES.apply(outcome), accountId, message),
        () -> creditAction.tryCredit(null, accountId, request.bizNo(), request.amount()));
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
