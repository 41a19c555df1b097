package io.txcenter.tools.topology;

import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.ZooKeeperCredential;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;

/**
 * Every network address advertised in ZooKeeper: Seata TC nodes ({@code /registry/zk/<cluster>}),
 * Dubbo providers and consumers ({@code /dubbo/<interface>/<role>}), read back from the registry.
 */
public final class Registrations {

  private static final Pattern HOST =
      Pattern.compile("(?:^|[/@=&?])((?:\\d{1,3}\\.){3}\\d{1,3})(?::\\d+)?");

  private Registrations() {}

  /** One advertised address: the ZooKeeper path it was found under and its host. */
  public record Registration(String path, String host) {}

  /** Reads every registration, authenticated as {@code credential}. */
  public static List<Registration> read(String zkAddress, ZooKeeperCredential credential)
      throws Exception {
    CuratorFramework client;
    try {
      client = ZooKeeperClient.connect(zkAddress, credential, 10_000);
    } catch (IllegalStateException e) {
      throw new CliException("cannot reach ZooKeeper at " + zkAddress);
    }
    try (CuratorFramework zk = client) {
      List<Registration> found = new ArrayList<>();
      walk(zk, "/", found);
      return found;
    }
  }

  private static void walk(CuratorFramework zk, String path, List<Registration> found)
      throws Exception {
    if (path.startsWith("/zookeeper")) {
      return;
    }
    for (String child : zk.getChildren().forPath(path)) {
      String childPath = ("/".equals(path) ? "" : path) + "/" + child;
      String decoded = URLDecoder.decode(child, StandardCharsets.UTF_8);
      Matcher host = HOST.matcher(decoded);
      while (host.find()) {
        found.add(new Registration(childPath, host.group(1)));
      }
      walk(zk, childPath, found);
    }
  }
}
