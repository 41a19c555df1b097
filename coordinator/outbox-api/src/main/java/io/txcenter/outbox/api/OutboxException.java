package io.txcenter.outbox.api;

/**
 * An append was refused; nothing was written and the caller's global transaction must roll back.
 */
public class OutboxException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final OutboxErrorCode code;

  public OutboxException(OutboxErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public OutboxErrorCode code() {
    return code;
  }
}
