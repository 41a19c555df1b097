package io.txcenter.zk;

import io.txcenter.secrets.ZooKeeperJaas;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACL layout of txcenter's registry, applied by the ZooKeeper server itself once it serves: the
 * root and the roots of Dubbo ({@code /dubbo}), Seata ({@code /registry/zk/<cluster>}) and txcenter
 * ({@code /txc/subscriptions}, {@code /txc/relay}) exist and, with everything below them, give ALL
 * to the cluster's digest identities (and, under {@code /registry}, to their SASL identities) and
 * nothing to anyone else. Idempotent: every member of an ensemble applies it, in any order, as
 * often as it starts.
 */
public final class RegistryAcls {

  /** Nodes created (parents first) and restricted; those below the last three are re-ACLed too. */
  public static List<String> roots(String seataCluster) {
    return List.of(
        "/dubbo",
        "/registry",
        "/registry/zk",
        "/registry/zk/" + seataCluster,
        "/txc",
        "/txc/subscriptions",
        "/txc/relay");
  }

  private static final List<String> SUBTREES = List.of("/dubbo", "/registry", "/txc");

  private RegistryAcls() {}

  /** ALL for each of {@code credentials} ({@code user:password}), nothing for anyone else. */
  public static List<ACL> aclFor(List<String> credentials) {
    List<ACL> acl = new ArrayList<>();
    for (String credential : credentials) {
      acl.add(
          new ACL(
              ZooDefs.Perms.ALL,
              new Id("digest", ClusterDigestAuthenticationProvider.digestOf(credential))));
    }
    // not List.copyOf: ZooKeeper.validateACL asks contains(null), which immutable lists refuse
    return Collections.unmodifiableList(acl);
  }

  /**
   * {@link #aclFor} plus ALL for each credential's SASL identity ({@code sasl:}{@link
   * ZooKeeperJaas#saslUser}): the ACL of Seata's {@code /registry} subtree, where the TC, which
   * authenticates through SASL on every new ZooKeeper handle, registers its ephemeral node.
   */
  public static List<ACL> registryAclFor(List<String> credentials) {
    List<ACL> acl = new ArrayList<>(aclFor(credentials));
    for (String credential : credentials) {
      acl.add(new ACL(ZooDefs.Perms.ALL, new Id("sasl", ZooKeeperJaas.saslUser(credential))));
    }
    return Collections.unmodifiableList(acl);
  }

  /** The ACL {@link #apply} gives {@code path}: {@link #registryAclFor} under {@code /registry}. */
  public static List<ACL> aclOf(String path, List<String> credentials) {
    return path.equals("/registry") || path.startsWith("/registry/")
        ? registryAclFor(credentials)
        : aclFor(credentials);
  }

  /**
   * Connects to {@code connectString} as {@code adminCredential} (a super user of that server) and
   * applies {@link #aclOf} to {@code /}, to {@link #roots} (created if missing) and to every node
   * below {@code /dubbo}, {@code /registry} and {@code /txc}; returns the number of nodes set.
   */
  static int apply(
      String connectString, String adminCredential, List<String> credentials, String cluster)
      throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    // digest only: this JVM's JAAS file has the Server section, no Client one (ZooKeeper's client
    // would warn with a stack trace on every connection)
    ZKClientConfig clientConfig = new ZKClientConfig();
    clientConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    ZooKeeper zk =
        new ZooKeeper(
            connectString,
            10_000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            },
            clientConfig);
    try {
      zk.addAuthInfo("digest", adminCredential.getBytes(StandardCharsets.UTF_8));
      if (!connected.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("cannot reach ZooKeeper at " + connectString);
      }
      zk.setACL("/", aclOf("/", credentials), -1);
      int count = 1;
      for (String path : roots(cluster)) {
        try {
          zk.create(path, new byte[0], aclOf(path, credentials), CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
          // another member, an earlier run or a client created it: its ACL is set below
        }
      }
      for (String subtree : SUBTREES) {
        count += setRecursively(zk, subtree, aclOf(subtree, credentials));
      }
      return count;
    } finally {
      zk.close();
    }
  }

  private static int setRecursively(ZooKeeper zk, String path, List<ACL> acl) throws Exception {
    try {
      zk.setACL(path, acl, -1);
      int count = 1;
      for (String child : zk.getChildren(path, false)) {
        count += setRecursively(zk, path + "/" + child, acl);
      }
      return count;
    } catch (KeeperException.NoNodeException e) {
      return 0; // an ephemeral node whose session ended while walking
    }
  }
}
