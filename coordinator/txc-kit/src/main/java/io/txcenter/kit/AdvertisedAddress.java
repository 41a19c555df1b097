package io.txcenter.kit;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one address this process advertises in ZooKeeper and embeds in URLs: loopback unless {@code
 * txc.advertise.host} names another literal IP address.
 */
public final class AdvertisedAddress {

  public static final String KEY = "txc.advertise.host";
  private static final Logger log = LoggerFactory.getLogger(AdvertisedAddress.class);

  private AdvertisedAddress() {}

  public static String host() {
    return Settings.string(KEY, "127.0.0.1");
  }

  /**
   * Pins the address the Seata client reports to the TC. Must run before it starts.
   *
   * <p>Dubbo needs no pin: {@link io.txcenter.kit.dubbo.AdvertisedHostRegistryFactory}, a Dubbo SPI
   * wrapper, writes {@link #host()} into every URL this process registers. The Seata client has no
   * such extension point: it takes its address from {@code NetUtil.getLocalIp()}, which skips
   * loopback and has no setting (preferred networks are matched only against non-loopback
   * addresses), resolves it once and caches it in a static field, so seeding that cache is the
   * narrowest override. The address is informational only (the client's IP in its TM registration,
   * the digest source of Seata's optional AK/SK signature, the TCC action context's {@code
   * host-name}): nothing connects to it, and the client listens on no port.
   */
  public static String apply() {
    String host = host();
    InetAddress address = literal(host);
    setStatic("org.apache.seata.common.util.NetUtil", "LOCAL_ADDRESS", address);
    log.info("advertised address pinned host={}", host);
    return host;
  }

  static InetAddress literal(String host) {
    if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new Settings.SettingException(KEY, "must be a literal IPv4 address", host);
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new Settings.SettingException(KEY, "must be a literal IPv4 address", host);
    }
  }

  private static void setStatic(String className, String fieldName, Object value) {
    try {
      Field field = Class.forName(className).getDeclaredField(fieldName);
      field.setAccessible(true);
      field.set(null, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot pin advertised address in " + className + "." + fieldName, e);
    }
  }
}
