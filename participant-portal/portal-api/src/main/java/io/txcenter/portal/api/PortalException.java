package io.txcenter.portal.api;

/** A portal request was refused; nothing was changed. Carries a stable {@link PortalErrorCode}. */
public class PortalException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final PortalErrorCode code;
  private final String channelId;

  public PortalException(PortalErrorCode code, String channelId, String message) {
    super(code + ": " + message);
    this.code = code;
    this.channelId = channelId;
  }

  public PortalErrorCode code() {
    return code;
  }

  public String channelId() {
    return channelId;
  }
}
