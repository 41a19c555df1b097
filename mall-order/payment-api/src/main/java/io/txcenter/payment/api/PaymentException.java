package io.txcenter.payment.api;

/**
 * A payment request was refused; nothing was changed. Carries a stable {@link PaymentErrorCode}.
 */
public class PaymentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final PaymentErrorCode code;

  public PaymentException(PaymentErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public PaymentErrorCode code() {
    return code;
  }
}
