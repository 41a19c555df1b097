package io.txcenter.kit.dubbo;

import io.txcenter.kit.AdvertisedAddress;
import java.util.List;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.registry.NotifyListener;
import org.apache.dubbo.registry.Registry;
import org.apache.dubbo.registry.RegistryFactory;

/**
 * A Dubbo SPI wrapper of every {@link RegistryFactory} (declared in {@code
 * META-INF/dubbo/org.apache.dubbo.registry.RegistryFactory}; Dubbo applies a class with a {@code
 * RegistryFactory} constructor to every registry extension): what this process registers, provider
 * and consumer URLs, carries {@code txc.advertise.host} as its host.
 *
 * <p>Why: Dubbo 3.3.6 refuses to register a loopback address by configuration. {@code protocol.host
 * = 127.0.0.1} counts as an "invalid local host" and is replaced by the first NIC address, and
 * {@code DUBBO_IP_TO_REGISTRY=127.0.0.1} throws ({@code ServiceConfig.findConfiguredHosts}).
 * Rewriting the host of the URLs handed to the registry is the narrowest supported override: the
 * exported invoker, the server (bound by {@link BindHostTransporter}) and every other URL inside
 * the process are untouched. Subscriptions are not rewritten (ZooKeeper gets no node for them, and
 * the host takes no part in matching).
 */
public final class AdvertisedHostRegistryFactory implements RegistryFactory {

  private final RegistryFactory delegate;

  public AdvertisedHostRegistryFactory(RegistryFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Registry getRegistry(URL url) {
    Registry registry = delegate.getRegistry(url);
    return registry == null ? null : new AdvertisingRegistry(registry, AdvertisedAddress.host());
  }

  /**
   * The URL as this process advertises it: the advertised host, and no {@code ipv6} parameter
   * (Dubbo adds this host's IPv6 NIC address, which consumers try first; the provider listens on
   * the bind host only).
   */
  static URL advertised(URL url, String host) {
    URL advertised = url.removeParameter("ipv6");
    return host.equals(advertised.getHost()) ? advertised : advertised.setHost(host);
  }

  /** Delegates everything; the host of a registered URL is the advertised one. */
  static final class AdvertisingRegistry implements Registry {

    private final Registry registry;
    private final String host;

    AdvertisingRegistry(Registry registry, String host) {
      this.registry = registry;
      this.host = host;
    }

    @Override
    public void register(URL url) {
      registry.register(advertised(url, host));
    }

    @Override
    public void unregister(URL url) {
      registry.unregister(advertised(url, host));
    }

    @Override
    public void reExportRegister(URL url) {
      registry.reExportRegister(advertised(url, host));
    }

    @Override
    public void reExportUnregister(URL url) {
      registry.reExportUnregister(advertised(url, host));
    }

    @Override
    public void subscribe(URL url, NotifyListener listener) {
      registry.subscribe(url, listener);
    }

    @Override
    public void unsubscribe(URL url, NotifyListener listener) {
      registry.unsubscribe(url, listener);
    }

    @Override
    public List<URL> lookup(URL url) {
      return registry.lookup(url);
    }

    @Override
    public int getDelay() {
      return registry.getDelay();
    }

    @Override
    public boolean isServiceDiscovery() {
      return registry.isServiceDiscovery();
    }

    @Override
    public URL getUrl() {
      return registry.getUrl();
    }

    @Override
    public boolean isAvailable() {
      return registry.isAvailable();
    }

    @Override
    public void destroy() {
      registry.destroy();
    }
  }
}
