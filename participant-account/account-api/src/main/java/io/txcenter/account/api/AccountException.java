package io.txcenter.account.api;

/**
 * An account request was refused; nothing was changed. Carries a stable {@link AccountErrorCode}.
 */
public class AccountException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final AccountErrorCode code;
  private final String accountId;

  public AccountException(AccountErrorCode code, String accountId, String message) {
    super(code + ": " + message);
    this.code = code;
    this.accountId = accountId;
  }

  public AccountErrorCode code() {
    return code;
  }

  public String accountId() {
    return accountId;
  }
}
