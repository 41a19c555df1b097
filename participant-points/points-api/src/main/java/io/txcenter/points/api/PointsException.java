package io.txcenter.points.api;

/** A points request was refused; nothing was changed. Carries a stable {@link PointsErrorCode}. */
public class PointsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final PointsErrorCode code;
  private final String channelId;

  public PointsException(PointsErrorCode code, String channelId, String message) {
    super(code + ": " + message);
    this.code = code;
    this.channelId = channelId;
  }

  public PointsErrorCode code() {
    return code;
  }

  public String channelId() {
    return channelId;
  }
}
