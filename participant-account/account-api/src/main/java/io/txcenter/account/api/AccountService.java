package io.txcenter.account.api;

/**
 * Accounts of the payment platform, in cents. A credit lands only on Confirm: between Try and
 * Confirm it is pending (visible in {@code pendingCredit}, never spendable, never in {@code
 * balance}). Exported without a Dubbo group.
 *
 * <p>Errors: every method throws only {@link AccountException}, or Dubbo's {@code RpcException} for
 * a call that never reached the service. A request holding a value of a class the API does not name
 * is refused {@code INVALID_REQUEST}; an unexpected failure inside the service is {@code
 * STORAGE_FAILURE}. Messages echo at most 64 characters of any value the caller sent.
 */
public interface AccountService {

  /** Largest amount, in cents, one request may credit or open an account with. */
  long MAX_AMOUNT = 100_000_000_000L;

  /**
   * Try of the account-credit branch: raises the pending credit of the account by {@code amount}
   * for {@code bizNo}, inside the caller's global transaction. Confirm (moves the amount from
   * pending credit to balance) and Cancel (drops the pending credit) are driven by the transaction
   * coordinator, never by the caller; both are idempotent, and a Try that arrives after its branch
   * was cancelled is refused. An unconfirmed credit is never in the balance. A {@code bizNo} (a
   * payment) holds at most one live (tried or confirmed) credit: a second one, even from another
   * branch of the same global transaction, is refused; a cancelled credit frees it.
   *
   * @throws AccountException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_ACCOUNT}, {@code NO_GLOBAL_TRANSACTION}, {@code TRANSACTION_NOT_ACTIVE} (the
   *     caller's XID names no transaction, or one no longer active), {@code BRANCH_SUSPENDED},
   *     {@code DUPLICATE_RESERVATION} (the business number already holds a credit), {@code
   *     STORAGE_FAILURE}
   */
  void tryCredit(CreditRequest request) throws AccountException;

  /**
   * The balance, pending credit and opening balance of one account.
   *
   * @throws AccountException {@code INVALID_REQUEST}, {@code UNKNOWN_ACCOUNT}
   */
  AccountBalance balance(String accountId) throws AccountException;

  /**
   * Whether the account exists: the payment service asks it before it accepts a payment to a
   * merchant, which it could never credit otherwise. Callable by the payment service only.
   *
   * @throws AccountException {@code INVALID_REQUEST}
   */
  boolean hasAccount(String accountId) throws AccountException;

  /**
   * Opens an account with {@code openingBalance} (in [0, {@link #MAX_AMOUNT}]) and records the
   * opening (the verified caller as operator, the time, {@code reason}) in the same local
   * transaction, so the audit can explain the opening balance; idempotent: an existing account is
   * left as it is, and no second opening is recorded. Returns the account as stored. {@code reason}
   * (why, and for whom) is required: at most 128 characters of letters, digits, spaces and plain
   * punctuation, else {@code INVALID_REQUEST} and nothing changes.
   *
   * @throws AccountException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     STORAGE_FAILURE}
   */
  AccountBalance open(String accountId, long openingBalance, String reason) throws AccountException;
}
