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
   * Pins the address Dubbo and the Seata client advertise. Must run before either starts.
   *
   * <p>Neither framework can be told to advertise loopback: Dubbo treats {@code protocol.host} and
   * {@code DUBBO_IP_TO_REGISTRY} values of 127.x as "invalid local host" and falls back to the
   * first NIC address, and Seata's NetUtil skips loopback the same way. Both resolve the local
   * address once and cache it in a static field, so seeding that cache is the narrowest override.
   */
  public static String apply() {
    String host = host();
    InetAddress address = literal(host);
    setStatic("org.apache.dubbo.common.utils.NetUtils", "LOCAL_ADDRESS", address);
    setStatic("org.apache.dubbo.common.utils.NetUtils", "HOST_ADDRESS", host);
    setStatic("org.apache.dubbo.common.utils.NetUtils", "HOST_ADDRESS_V6", "");
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
