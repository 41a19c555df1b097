package io.txcenter.kit.rpc;

import io.txcenter.kit.Settings;
import io.txcenter.kit.validation.Ids;
import io.txcenter.secrets.Secrets;
import java.util.Optional;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.common.extension.Activate;
import org.apache.dubbo.rpc.AsyncRpcResult;
import org.apache.dubbo.rpc.Filter;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider side: refuses a call unless it carries a valid signature of a known identity ({@code
 * rpc.key.<caller>} in this process's secrets), fresh (timestamp within {@code txc.rpc.window.ms}
 * either side) and not seen before (nonce), and unless the method's rule ({@link Callers}, a
 * service URL parameter) names that identity. The caller is the one the signature proves, nothing
 * else the request says.
 *
 * <p>Order -10000: after Dubbo's {@code GenericFilter} (-20000), so a generic {@code $invoke} is
 * checked as the real method it resolves to (with the generic call's arguments, which a txcenter
 * caller never signs: generic calls are refused); before Seata's provider filter (order 0) and the
 * service, so a refused call binds no XID, registers no branch and changes nothing. Dubbo's {@code
 * EchoFilter} (-110000) answers {@code $echo} before this filter: it returns the caller's own
 * argument and touches no service, a liveness probe only.
 */
@Activate(group = CommonConstants.PROVIDER, order = -10_000)
public final class RpcAuthFilter implements Filter {

  private static final Logger log = LoggerFactory.getLogger(RpcAuthFilter.class);

  private final long windowMillis =
      Settings.longValue(RpcAuth.WINDOW_SETTING, RpcAuth.DEFAULT_WINDOW_MS);
  private final ReplayCache replays = new ReplayCache(windowMillis, 200_000);

  @Override
  public Result invoke(Invoker<?> invoker, Invocation invocation) throws RpcException {
    URL url = invoker.getUrl();
    String service = url.getServiceInterface();
    String method = invocation.getMethodName();
    String caller = invocation.getAttachment(RpcSignature.CALLER);
    SecurityException refusal;
    try {
      refusal = check(url, invocation, caller, System.currentTimeMillis());
    } catch (RuntimeException e) {
      refusal = RpcAuth.unauthenticated("request not verifiable: " + e.getMessage());
    }
    if (refusal != null) {
      log.warn(
          "rpc refused caller={} service={} method={} remote={} reason={}",
          // the claimed caller is the request's text: logged only in the shape an identity has
          Ids.isIdentity(caller) ? caller : "<malformed>",
          service,
          method,
          RpcContext.getServiceContext().getRemoteAddressString(),
          refusal.getMessage());
      return AsyncRpcResult.newDefaultAsyncResult(refusal, invocation);
    }
    return invoker.invoke(invocation);
  }

  /** The refusal of this call, or null if it may go on. */
  SecurityException check(URL url, Invocation invocation, String caller, long now) {
    String timestamp = invocation.getAttachment(RpcSignature.TIMESTAMP);
    String nonce = invocation.getAttachment(RpcSignature.NONCE);
    String signature = invocation.getAttachment(RpcSignature.SIGNATURE);
    if (caller == null || timestamp == null || nonce == null || signature == null) {
      return RpcAuth.unauthenticated("no credential");
    }
    if (!Ids.isIdentity(caller) || nonce.length() > 64) {
      return RpcAuth.unauthenticated("malformed credential");
    }
    Optional<String> key = Secrets.find(RpcAuth.keyName(caller));
    if (key.isEmpty()) {
      return RpcAuth.unauthenticated("unknown caller [" + caller + "]");
    }
    long sent;
    try {
      sent = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return RpcAuth.unauthenticated("malformed timestamp");
    }
    if (Math.abs(now - sent) > windowMillis) {
      return RpcAuth.unauthenticated(
          "timestamp outside the window of " + windowMillis + " ms, skew " + (now - sent) + " ms");
    }
    RpcSignature expected = RpcAuth.signatureOf(caller, url, invocation, sent, nonce);
    if (!expected.verify(key.get(), signature)) {
      return RpcAuth.unauthenticated("bad signature");
    }
    // only after the signature: unsigned requests cannot fill the cache
    switch (replays.admit(caller, nonce, now)) {
      case REPLAYED -> {
        return RpcAuth.unauthenticated("replayed request");
      }
      case FULL -> {
        return RpcAuth.unauthenticated("replay cache full, try again");
      }
      default -> {}
    }
    String method = invocation.getMethodName();
    if (!Callers.permits(url.getParameter(Callers.PREFIX + method), caller)) {
      return RpcAuth.forbidden(caller, simpleName(url.getServiceInterface()), method);
    }
    return null;
  }

  private static String simpleName(String service) {
    return service == null ? "?" : service.substring(service.lastIndexOf('.') + 1);
  }
}
