package io.txcenter.kit;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A started Curator client on {@code txc.zk.address}, authenticated with the cluster's ZooKeeper
 * credential (Curator adds it to every session it opens, so it survives session expiry) and
 * creating every node with {@link ZooKeeperCredential#acl}.
 */
public final class ZooKeeperClient {

  private ZooKeeperClient() {}

  /**
   * Connects as this process ({@code txc.zk.address}, secret {@code zk.credential}), waiting up to
   * 30 s. {@code sessionTimeoutMillis} bounds how long ephemeral nodes (leader latches) outlive a
   * killed process.
   */
  public static CuratorFramework connect(int sessionTimeoutMillis) {
    return connect(Settings.zookeeper(), ZooKeeperCredential.ofProcess(), sessionTimeoutMillis);
  }

  /** Connects to {@code address} as {@code credential}, waiting up to 30 s. */
  public static CuratorFramework connect(
      String address, ZooKeeperCredential credential, int sessionTimeoutMillis) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(address)
            .sessionTimeoutMs(sessionTimeoutMillis)
            .connectionTimeoutMs(5_000)
            .retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
            .authorization("digest", credential.authBytes())
            .aclProvider(credential.aclProvider())
            .build();
    client.start();
    try {
      if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
        client.close();
        throw new IllegalStateException("cannot reach ZooKeeper at " + address);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
    }
    return client;
  }
}
