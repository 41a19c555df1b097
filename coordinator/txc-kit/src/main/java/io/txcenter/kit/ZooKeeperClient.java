package io.txcenter.kit;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** A started Curator client on {@code txc.zk.address}. */
public final class ZooKeeperClient {

  private ZooKeeperClient() {}

  /**
   * Connects, waiting up to 30 s. {@code sessionTimeoutMillis} bounds how long ephemeral nodes
   * (leader latches) outlive a killed process.
   */
  public static CuratorFramework connect(int sessionTimeoutMillis) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(Settings.zookeeper())
            .sessionTimeoutMs(sessionTimeoutMillis)
            .connectionTimeoutMs(5_000)
            .retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
            .build();
    client.start();
    try {
      if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
        client.close();
        throw new IllegalStateException("cannot reach ZooKeeper at " + Settings.zookeeper());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
    }
    return client;
  }
}
