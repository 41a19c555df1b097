package io.txcenter.tools.systemtests;

import io.txcenter.kit.DubboNode;
import io.txcenter.kit.dubbo.BindHostTransporter;
import io.txcenter.kit.rpc.RpcAuth;
import io.txcenter.kit.rpc.RpcSignFilter;
import io.txcenter.secrets.Secrets;
import java.util.HashMap;
import java.util.Map;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.RpcInvocation;

/**
 * Callers a test JVM can be: a txcenter node signing as another identity (with that identity's real
 * key from the topology's secrets file), and an anonymous stock Dubbo client connected straight to
 * a provider's port, which sends whatever attachments the test puts in its RpcContext.
 */
final class ActAs {

  private ActAs() {}

  /** A consumer node signing as {@code identity}; this JVM's own identity is left as it was. */
  static synchronized DubboNode identity(String identity) {
    String previous = System.getProperty(RpcAuth.IDENTITY_SETTING);
    System.setProperty(RpcAuth.IDENTITY_SETTING, identity);
    try {
      return DubboNode.consumer("it-as-" + identity).start();
    } finally {
      if (previous == null) {
        System.clearProperty(RpcAuth.IDENTITY_SETTING);
      } else {
        System.setProperty(RpcAuth.IDENTITY_SETTING, previous);
      }
    }
  }

  /** A stock Dubbo proxy of {@code api} at 127.0.0.1:{@code port}, without txcenter's signing. */
  static <T> T anonymous(Class<T> api, String group, int port) {
    ApplicationConfig app = new ApplicationConfig("it-anonymous");
    app.setQosEnable(false);
    app.setMetadataType("local");
    ReferenceConfig<T> reference = new ReferenceConfig<>();
    reference.setInterface(api);
    reference.setVersion(DubboNode.VERSION);
    if (group != null) {
      reference.setGroup(group);
    }
    reference.setUrl("dubbo://127.0.0.1:" + port);
    reference.setFilter("-txc-rpc-sign");
    // stock netty4 would swap 127.0.0.1 for the machine's network address (and miss a provider that
    // listens on loopback only): txcenter's transporter connects to the address as it is
    reference.setClient(BindHostTransporter.NAME);
    reference.setCheck(false);
    reference.setRetries(0);
    reference.setTimeout(10_000);
    DubboBootstrap.newInstance().application(app).reference(reference).start();
    return reference.get();
  }

  /**
   * The attachments {@code identity} would send for {@code method(args)} on {@code api} in {@code
   * group}, signed by hand with its key.
   */
  static Map<String, String> signed(
      String identity,
      Class<?> api,
      String group,
      String method,
      Class<?>[] types,
      Object... args) {
    RpcInvocation invocation = new RpcInvocation(method, api.getName(), api.getName(), types, args);
    URL url =
        URL.valueOf("dubbo://127.0.0.1/" + api.getName())
            .addParameter("interface", api.getName())
            .addParameter("version", DubboNode.VERSION);
    if (group != null) {
      url = url.addParameter("group", group);
    }
    RpcSignFilter.attachSignature(
        invocation,
        url,
        identity,
        Secrets.require(RpcAuth.keyName(identity)),
        System.currentTimeMillis(),
        Secrets.randomToken(16));
    return new HashMap<>(invocation.getAttachments());
  }

  /** Puts {@code attachments} on the next call this thread makes. */
  static void attach(Map<String, String> attachments) {
    attachments.forEach(RpcContext.getClientAttachment()::setAttachment);
  }
}
