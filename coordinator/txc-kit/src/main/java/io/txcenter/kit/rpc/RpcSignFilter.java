package io.txcenter.kit.rpc;

import io.txcenter.secrets.Secrets;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.common.extension.Activate;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.rpc.Filter;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;

/**
 * Consumer side: signs every invocation with this process's identity key ({@code
 * rpc.key.<txc.rpc.identity>}). Ordered after Seata's consumer filter (order 0), so the XID it
 * attaches is signed too. A node without an identity or key, or an argument without a canonical
 * form, fails here, before anything is sent.
 */
@Activate(group = CommonConstants.CONSUMER, order = 10_000)
public final class RpcSignFilter implements Filter {

  @Override
  public Result invoke(Invoker<?> invoker, Invocation invocation) throws RpcException {
    URL url = invoker.getUrl();
    ApplicationConfig application = url.getOrDefaultApplicationModel().getCurrentConfig();
    String identity =
        application == null || application.getParameters() == null
            ? null
            : application.getParameters().get(RpcAuth.IDENTITY_PARAMETER);
    if (identity == null) {
      throw RpcAuth.unauthenticated(
          "this node has no identity (setting " + RpcAuth.IDENTITY_SETTING + ")");
    }
    String key =
        Secrets.find(RpcAuth.keyName(identity))
            .orElseThrow(
                () ->
                    RpcAuth.unauthenticated(
                        "no key for identity ["
                            + identity
                            + "] (secret "
                            + RpcAuth.keyName(identity)
                            + ")"));
    try {
      attachSignature(
          invocation, url, identity, key, System.currentTimeMillis(), Secrets.randomToken(16));
    } catch (CanonicalForm.UnsignableArgumentException e) {
      throw new RpcException(RpcException.SERIALIZATION_EXCEPTION, e.getMessage(), e);
    }
    return invoker.invoke(invocation);
  }

  /** Signs {@code invocation} on {@code url} as {@code identity} with {@code key}. */
  public static void attachSignature(
      Invocation invocation, URL url, String identity, String key, long now, String nonce) {
    RpcSignature signature = RpcAuth.signatureOf(identity, url, invocation, now, nonce);
    invocation.setAttachment(RpcSignature.CALLER, identity);
    invocation.setAttachment(RpcSignature.TIMESTAMP, Long.toString(now));
    invocation.setAttachment(RpcSignature.NONCE, nonce);
    invocation.setAttachment(RpcSignature.SIGNATURE, signature.sign(key));
  }
}
