package io.txcenter.outbox.api;

/** A consumer did not apply a message; the relay will retry it. */
public class ConsumerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a message was not applied. */
  public enum Code {
    /**
     * A business rule refuses this message (a poisoned event): retrying will not help by itself.
     */
    REJECTED,
    /** A temporary failure (storage, a dependency): a retry may succeed. */
    TRANSIENT
  }

  private final Code code;

  public ConsumerException(Code code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
