package io.txcenter.kit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one address every listening socket of this process binds: {@code txc.bind.host} (env {@code
 * TXC_BIND_HOST}), a literal IP address, 127.0.0.1 unless set. Binding is not advertising: {@link
 * AdvertisedAddress} is what this process writes into ZooKeeper.
 */
public final class BindAddress {

  public static final String KEY = "txc.bind.host";

  private BindAddress() {}

  /** The configured literal, validated. */
  public static String host() {
    String host = Settings.string(KEY, "127.0.0.1").trim();
    literal(host);
    return host;
  }

  /**
   * The configured address; a host name or a malformed literal is a {@link
   * Settings.SettingException}.
   */
  public static InetAddress address() {
    return literal(host());
  }

  static InetAddress literal(String host) {
    boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = host.matches("[0-9A-Fa-f:.]+") && host.contains(":");
    if (!ipv4 && !ipv6) {
      throw new Settings.SettingException(KEY, "must be a literal IP address", host);
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new Settings.SettingException(KEY, "must be a literal IP address", host);
    }
  }
}
