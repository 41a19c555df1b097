package io.txcenter.kit.rpc;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.Invocation;

/**
 * Shared pieces of txcenter's RPC authentication: the identity setting, the key name, the signature
 * of an invocation as both filters compute it, and the typed refusals.
 *
 * <p>Why our own filters rather than Dubbo's {@code dubbo-auth} ({@code ConsumerSignFilter} /
 * {@code ProviderAuthFilter} with {@code AccessKeyAuthenticator}, checked in dubbo 3.3.6): it reads
 * one access-key pair per service from the service URL ({@code urlstorage}: the secret would sit in
 * the URL that is registered in ZooKeeper), so every caller of a service shares one key and the
 * provider cannot tell the mall from the payment service; the {@code consumer} attachment it sends
 * is the unsigned application name, which the caller writes freely; the timestamp is signed but
 * never checked for freshness and there is no nonce, so a captured request can be replayed forever;
 * the signature is compared with {@code String.equals}; and argument signing goes through Java
 * serialization of the arguments.
 */
public final class RpcAuth {

  /** Setting naming the identity this process signs with; the CLI is {@code operator}. */
  public static final String IDENTITY_SETTING = "txc.rpc.identity";

  /** Application parameter carrying the identity to the consumer filter. */
  public static final String IDENTITY_PARAMETER = "txc-rpc-identity";

  /** Setting: the freshness window of a signed request, either side of the provider's clock. */
  public static final String WINDOW_SETTING = "txc.rpc.window.ms";

  public static final long DEFAULT_WINDOW_MS = 60_000;

  private RpcAuth() {}

  /** The secret holding {@code identity}'s signing key. */
  public static String keyName(String identity) {
    return "rpc.key." + identity;
  }

  /** What {@code invocation} on {@code url} commits to, as signed by {@code caller}. */
  public static RpcSignature signatureOf(
      String caller, URL url, Invocation invocation, long timestamp, String nonce) {
    return new RpcSignature(
        caller,
        url.getServiceInterface(),
        url.getGroup(""),
        url.getVersion(""),
        invocation.getMethodName(),
        RpcSignature.typesOf(invocation.getParameterTypes()),
        timestamp,
        nonce,
        // read as Seata's Dubbo provider filter reads them (upper case, else lower case), so the
        // XID a provider binds is the one the caller signed
        attachment(invocation, "TX_XID"),
        attachment(invocation, "TX_BRANCH_TYPE"),
        CanonicalForm.digest(invocation.getArguments()));
  }

  private static String attachment(Invocation invocation, String key) {
    String value = invocation.getAttachment(key);
    return value != null ? value : invocation.getAttachment(key.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The caller could not be authenticated: a {@link SecurityException} whose message starts {@code
   * UNAUTHENTICATED:}.
   *
   * <p>Refusals are {@code java.lang.SecurityException}, not Dubbo's {@code RpcException} nor a
   * txcenter type (checked in dubbo 3.3.6): the provider's {@code ExceptionFilter} rewrites any
   * undeclared unchecked exception into a {@code RuntimeException} of its text unless it is a JDK
   * ({@code java.}), or Dubbo exception, and the consumer's {@code RpcExceptionFilter} rethrows a
   * returned {@code RpcException} from its {@code onResponse}, so the caller would see {@code
   * RpcException(code 0, ExecutionException(...))}. A JDK type reaches every caller as itself, even
   * a stock Dubbo client, and passes any serialization allow-list.
   */
  public static SecurityException unauthenticated(String reason) {
    return new SecurityException("UNAUTHENTICATED: " + reason);
  }

  /**
   * An authenticated caller may not call this method: {@code FORBIDDEN: caller [payment] may not
   * call PointsService.tryFreeze}.
   */
  public static SecurityException forbidden(String caller, String service, String method) {
    return new SecurityException(
        "FORBIDDEN: caller [" + caller + "] may not call " + service + "." + method);
  }
}
