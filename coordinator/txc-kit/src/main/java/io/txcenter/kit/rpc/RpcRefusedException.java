package io.txcenter.kit.rpc;

/**
 * A provider refused a call before it reached the service: nothing was changed, no branch was
 * registered. Carries a stable {@link Reason}; the message starts with it ({@code UNAUTHENTICATED:
 * …}, {@code FORBIDDEN: caller [payment] may not call PointsService.tryFreeze}).
 *
 * <p>A txcenter type rather than Dubbo's {@code RpcException}: Dubbo's consumer-side {@code
 * RpcExceptionFilter} rethrows an {@code RpcException} returned by a provider from its {@code
 * onResponse}, and the caller then sees {@code RpcException(code 0, ExecutionException(...))} with
 * the forbidden/authorization code lost. Every txcenter process has this class (txc-kit).
 */
public class RpcRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the call was refused. */
  public enum Reason {
    /** No valid, fresh, first-seen signature of a known identity. */
    UNAUTHENTICATED,
    /** The identity is proven but the method's rule does not name it. */
    FORBIDDEN
  }

  private final Reason reason;

  public RpcRefusedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
