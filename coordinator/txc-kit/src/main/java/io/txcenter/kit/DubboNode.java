package io.txcenter.kit;

import io.txcenter.kit.dubbo.BindHostTransporter;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.kit.rpc.ErrorBoundary;
import io.txcenter.kit.rpc.ErrorBoundaryFilter;
import io.txcenter.kit.rpc.RpcAuth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ConsumerConfig;
import org.apache.dubbo.config.MetricsConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ProviderConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * The Dubbo side of one process: providers registered in ZooKeeper under the advertised address,
 * and references to other services. Interface-level registration only (no application-level service
 * discovery or metadata center), versioned {@code 1.0}, no retries: a Try is called once and the
 * global transaction decides. Every call is signed with this process's identity ({@code
 * txc.rpc.identity}) and checked by the provider against the export's {@link Callers} (see {@link
 * io.txcenter.kit.rpc.RpcAuthFilter}).
 */
public final class DubboNode {

  public static final String VERSION = "1.0";

  /** Calls are never retried by Dubbo: a Try is sent once (the fence's retention counts on it). */
  public static final int RETRIES = 0;

  /**
   * {@code txc.dubbo.timeout.ms}, 10,000 by default: every call's timeout, provider and consumer.
   */
  public static final String TIMEOUT_SETTING = "txc.dubbo.timeout.ms";

  private final DubboBootstrap bootstrap;
  private final List<ServiceConfig<?>> services = new ArrayList<>();

  /** The timeout of every Dubbo call of this process, in milliseconds. */
  public static int timeoutMillis() {
    long value = Settings.longValue(TIMEOUT_SETTING, 10_000);
    if (value < 1 || value > 600_000) {
      throw new Settings.SettingException(
          TIMEOUT_SETTING, "must be in [1, 600000] ms", String.valueOf(value));
    }
    return (int) value;
  }

  private DubboNode(String application, int port) {
    AdvertisedAddress.apply();
    ApplicationConfig app = new ApplicationConfig(application);
    app.setQosEnable(false);
    app.setRegisterMode("interface");
    app.setMetadataType("local");
    Map<String, String> appParameters = new HashMap<>();
    appParameters.put("migration.step", "FORCE_INTERFACE");
    // read once per node: a test JVM can build nodes of several identities
    String identity = Settings.string(RpcAuth.IDENTITY_SETTING, "");
    if (!identity.isBlank()) {
      appParameters.put(RpcAuth.IDENTITY_PARAMETER, identity);
    }
    app.setParameters(appParameters);
    // Deserialize only what txcenter's APIs carry: the classes named in
    // security/serialize.allowlist (txcenter's packages: this jar's list and each api jar's own,
    // Dubbo reads every copy on the class path) and Dubbo's own allow-list of
    // JDK value types. A request naming any other class is refused while it is decoded, before it
    // reaches a filter or a service. The automatic trust of every class in an exported signature's
    // package tree is off, so the list is the whole rule.
    app.setSerializeCheckStatus("STRICT");
    app.setAutoTrustSerializeClass(false);
    app.setCheckSerializable(true);
    RegistryConfig registry = new RegistryConfig("zookeeper://" + Settings.zookeeper());
    registry.setTimeout(10_000);
    // Dubbo's Curator5 client then authenticates with digest user:password and creates its nodes
    // with CREATOR_ALL_ACL: ALL for the cluster identity only
    ZooKeeperCredential zkCredential = ZooKeeperCredential.ofProcess();
    registry.setUsername(zkCredential.user());
    registry.setPassword(zkCredential.password());
    registry.setUseAsConfigCenter(false);
    registry.setUseAsMetadataCenter(false);
    ProviderConfig provider = new ProviderConfig();
    provider.setTimeout(timeoutMillis());
    provider.setRetries(RETRIES);
    ConsumerConfig consumer = new ConsumerConfig();
    consumer.setTimeout(timeoutMillis());
    consumer.setRetries(RETRIES);
    consumer.setCheck(false);
    // connects to the registered address as is (netty4 would swap a 127.x for the NIC address)
    consumer.setClient(BindHostTransporter.NAME);
    // A provider restarted at the same address keeps its consumers' dead invoker until the
    // client's reconnect task runs (dubbo #7966), every max(heartbeat, least-reconnect-duration),
    // 60 s by default: a killed participant stayed unreachable for a minute after it was back
    // (found by the chaos run). A 3 s heartbeat and a 1 s floor bound that to about 3 s.
    String heartbeat = String.valueOf(Settings.longValue("txc.dubbo.heartbeat.ms", 3_000));
    consumer.setParameters(
        Map.of("heartbeat", heartbeat, "dubbo.application.least-reconnect-duration", "1000"));
    this.bootstrap =
        DubboBootstrap.newInstance()
            .application(app)
            .registry(registry)
            .provider(provider)
            .consumer(consumer)
            .metrics(metrics());
    if (port > 0) {
      ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
      protocol.setHost(AdvertisedAddress.host());
      // binds txc.bind.host: Dubbo itself turns a 127.x bind address into 0.0.0.0
      protocol.setServer(BindHostTransporter.NAME);
      protocol.setHeartbeat((int) Settings.longValue("txc.dubbo.heartbeat.ms", 3_000));
      bootstrap.protocol(protocol);
    }
  }

  /**
   * Dubbo's built-in metrics (requests, latency, thread pools, registry), recorded on Micrometer's
   * global registry, which the process's metrics endpoint exposes (docs/operations.md): no port or
   * service of Dubbo's own (its metrics service is not exported, QoS is off). The JVM is measured
   * once, by the endpoint's binders. {@code txc.dubbo.metrics=false} turns them off.
   */
  private static MetricsConfig metrics() {
    MetricsConfig metrics = new MetricsConfig();
    boolean on = Settings.bool("txc.dubbo.metrics", true);
    metrics.setUseGlobalRegistry(true);
    metrics.setExportMetricsService(false);
    metrics.setEnableJvm(false);
    metrics.setEnableRpc(on);
    metrics.setEnableRegistry(on);
    metrics.setEnableThreadpool(on);
    metrics.setEnableMetadata(false);
    metrics.setEnableNetty(false);
    return metrics;
  }

  /** A node that will provide services on {@code port}. */
  public static DubboNode provider(String application, int port) {
    return new DubboNode(application, port);
  }

  /** A node that only consumes. */
  public static DubboNode consumer(String application) {
    return new DubboNode(application, 0);
  }

  /**
   * Exports {@code implementation} under {@code group} (null for none), callable by the identities
   * {@code callers} names per method.
   *
   * @throws IllegalArgumentException if {@code callers} is for another interface
   * @throws IllegalStateException if a method of {@code api} has no caller rule
   */
  public <T> DubboNode export(Class<T> api, T implementation, String group, Callers callers) {
    if (callers == null || callers.api() != api) {
      throw new IllegalArgumentException(
          "'callers' must be the rules of " + api.getName() + ", was " + callers);
    }
    ServiceConfig<T> service = new ServiceConfig<>();
    service.setInterface(api);
    service.setParameters(callers.parameters());
    service.setRef(implementation);
    service.setVersion(VERSION);
    if (group != null) {
      service.setGroup(group);
    }
    services.add(service);
    bootstrap.service(service);
    return this;
  }

  /**
   * Exports as {@link #export(Class, Object, String, Callers)} does, and turns every exception that
   * leaves a method of {@code api} without being one it declares into the API's typed exception
   * made by {@code boundary} (see {@link ErrorBoundaryFilter}).
   *
   * @throws IllegalStateException if a method of {@code api} declares no exception (its typed
   *     refusals would not pass the boundary)
   */
  public <T> DubboNode export(
      Class<T> api, T implementation, String group, Callers callers, ErrorBoundary boundary) {
    ErrorBoundary.requireDeclared(api);
    export(api, implementation, group, callers);
    ErrorBoundaryFilter.register(api, group, boundary);
    return this;
  }

  /** A proxy of {@code api} in {@code group} (null for none); connects lazily. */
  public <T> T reference(Class<T> api, String group) {
    ReferenceConfig<T> reference = new ReferenceConfig<>();
    reference.setInterface(api);
    reference.setVersion(VERSION);
    if (group != null) {
      reference.setGroup(group);
    }
    bootstrap.reference(reference);
    return reference.get();
  }

  /** Exports every service and registers it; returns once registration is done. */
  public DubboNode start() {
    bootstrap.start();
    // a reference resolved before start() starts the module early, and services added to a
    // started module are not exported by a second start(): export them explicitly
    for (ServiceConfig<?> service : services) {
      if (!service.isExported()) {
        service.export();
      }
    }
    return this;
  }

  public void stop() {
    bootstrap.stop();
  }
}
