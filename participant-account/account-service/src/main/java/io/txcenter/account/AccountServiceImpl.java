package io.txcenter.account;

import static io.txcenter.account.api.AccountErrorCode.INVALID_AMOUNT;
import static io.txcenter.account.api.AccountErrorCode.INVALID_REQUEST;
import static io.txcenter.account.api.AccountErrorCode.STORAGE_FAILURE;
import static io.txcenter.account.api.AccountErrorCode.UNKNOWN_ACCOUNT;

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
import io.txcenter.kit.validation.Require;
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
    String accountId = accountId(Require.present("request", request, refusal(null)).accountId());
    Require.key("bizNo", request.bizNo(), refusal(accountId));
    Require.inRange("amount", request.amount(), 1, MAX_AMOUNT, amountRefusal(accountId));
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
    AccountBalance balance = accounts.find(accountId(accountId));
    if (balance == null) {
      throw unknown(accountId);
    }
    return balance;
  }

  @Override
  public boolean hasAccount(String accountId) {
    return accounts.find(accountId(accountId)) != null;
  }

  @Override
  public AccountBalance open(String accountId, long openingBalance, String reason) {
    accountId(accountId);
    Require.inRange("openingBalance", openingBalance, 0, MAX_AMOUNT, amountRefusal(accountId));
    String problem = OperatorAction.reasonProblem(reason);
    if (problem != null) {
      throw refusal(accountId).apply(problem);
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
          STORAGE_FAILURE, accountId, "storage failure: " + Echo.cut(e.getMessage()));
    }
  }

  private static AccountException unknown(String accountId) {
    return new AccountException(
        UNKNOWN_ACCOUNT, accountId, "account [" + accountId + "] not found");
  }

  /** {@code accountId} if it is a business key; its refusal carries only the cut id. */
  private static String accountId(String accountId) {
    return Require.key("accountId", accountId, refusal(Echo.cut(accountId)));
  }

  private static Function<String, AccountException> refusal(String accountId) {
    return message -> new AccountException(INVALID_REQUEST, accountId, message);
  }

  private static Function<String, AccountException> amountRefusal(String accountId) {
    return message -> new AccountException(INVALID_AMOUNT, accountId, message);
  }
}
