package io.txcenter.kit.rpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.common.extension.Activate;
import org.apache.dubbo.rpc.Filter;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider filter at the API boundary: an exception that leaves a provider and is neither one the
 * invoked method declares (the API's typed exception) nor Dubbo's own {@link RpcException} (nor the
 * {@link SecurityException} of txcenter's authentication) is replaced by the API's typed exception
 * from the export's {@link ErrorBoundary}. A filter rather than a try/catch in every service: it
 * also sees what fails outside the service's code (Dubbo's invoker casting an argument of a foreign
 * class) and it cannot be forgotten on a new method.
 *
 * <p>Order -9000: inside {@link RpcAuthFilter} (-10000), so an unauthenticated call is refused
 * before anything here runs, and before Dubbo's {@code ExceptionFilter} sees the result.
 */
@Activate(group = CommonConstants.PROVIDER, order = -9_000)
public final class ErrorBoundaryFilter implements Filter, Filter.Listener {

  private static final Logger log = LoggerFactory.getLogger(ErrorBoundaryFilter.class);

  private static final Map<String, ErrorBoundary> BOUNDARIES = new ConcurrentHashMap<>();

  /** Applies {@code boundary} to the export of {@code api} in {@code group} (null for none). */
  public static void register(Class<?> api, String group, ErrorBoundary boundary) {
    BOUNDARIES.put(key(api.getName(), group), boundary);
  }

  private static String key(String api, String group) {
    return (group == null || group.isEmpty() ? "" : group) + "/" + api;
  }

  @Override
  public Result invoke(Invoker<?> invoker, Invocation invocation) throws RpcException {
    try {
      return invoker.invoke(invocation);
    } catch (RpcException | SecurityException e) {
      throw e;
    } catch (RuntimeException e) {
      RuntimeException typed = typed(invoker, invocation, e);
      if (typed == e) {
        throw e;
      }
      throw typed;
    }
  }

  @Override
  public void onResponse(Result result, Invoker<?> invoker, Invocation invocation) {
    if (result.hasException()) {
      Throwable thrown = result.getException();
      RuntimeException typed = typed(invoker, invocation, thrown);
      if (typed != thrown) {
        result.setException(typed);
      }
    }
  }

  @Override
  public void onError(Throwable t, Invoker<?> invoker, Invocation invocation) {}

  /** {@code thrown} itself when it may cross as it is, else the API's typed exception. */
  private static RuntimeException typed(
      Invoker<?> invoker, Invocation invocation, Throwable thrown) {
    // Dubbo's own failures and txcenter's authentication refusals (RpcAuthFilter) are not the
    // provider's: they cross as they are
    if (thrown instanceof RpcException || thrown instanceof SecurityException) {
      return (RuntimeException) thrown;
    }
    ErrorBoundary boundary =
        BOUNDARIES.get(key(invoker.getInterface().getName(), invoker.getUrl().getGroup()));
    if (boundary == null || declared(invoker, invocation, thrown)) {
      return thrown instanceof RuntimeException runtime ? runtime : null;
    }
    boolean badInput = ErrorBoundary.isBadInput(thrown);
    RuntimeException typed = boundary.typed(thrown, badInput, ErrorBoundary.describe(thrown));
    if (badInput) {
      log.warn(
          "malformed request refused api={} method={} cause={}",
          invoker.getInterface().getSimpleName(),
          invocation.getMethodName(),
          thrown.getClass().getName());
    } else {
      log.error(
          "unexpected failure typed api={} method={}",
          invoker.getInterface().getSimpleName(),
          invocation.getMethodName(),
          thrown);
    }
    return typed;
  }

  /** Whether the invoked method declares {@code thrown}: then it is the API's own error. */
  private static boolean declared(Invoker<?> invoker, Invocation invocation, Throwable thrown) {
    try {
      Class<?>[] declared =
          invoker
              .getInterface()
              .getMethod(invocation.getMethodName(), invocation.getParameterTypes())
              .getExceptionTypes();
      for (Class<?> type : declared) {
        if (type.isInstance(thrown)) {
          return true;
        }
      }
      return false;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
