package io.txcenter.fund.api;

/** A fund request was refused; nothing was changed. Carries a stable {@link FundErrorCode}. */
public class FundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final FundErrorCode code;

  public FundException(FundErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public FundErrorCode code() {
    return code;
  }
}
