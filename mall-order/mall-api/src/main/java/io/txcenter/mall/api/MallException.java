package io.txcenter.mall.api;

/** An order was refused before any change. Carries a stable {@link MallErrorCode}. */
public class MallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final MallErrorCode code;

  public MallException(MallErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public MallErrorCode code() {
    return code;
  }
}
