package io.txcenter.zk;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's {@code digest} scheme restricted to the cluster's credentials: any other {@code
 * user:password} is refused with {@code AUTHFAILED} (the stock provider accepts any pair and only
 * records an identity). Installed as {@code zookeeper.authProvider.1}; with {@code
 * zookeeper.enforce.auth.enabled} and {@code zookeeper.enforce.auth.schemes=digest} a session that
 * has not authenticated through it can do nothing at all.
 *
 * <p>ZooKeeper instantiates providers by class name with a no-argument constructor ({@code
 * ProviderRegistry}), so the accepted credentials are handed over through static state before the
 * server starts; only their digests ({@code user:base64(sha1(user:password))}) are kept.
 */
public final class ClusterDigestAuthenticationProvider extends DigestAuthenticationProvider {

  private static final Logger log =
      LoggerFactory.getLogger(ClusterDigestAuthenticationProvider.class);
  private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();
  private static final Set<String> SUPER = ConcurrentHashMap.newKeySet();

  /** Accepts {@code credential} ({@code user:password}) as a cluster member. */
  static void accept(String credential) {
    ACCEPTED.add(digestOf(credential));
  }

  /**
   * Accepts {@code credential} as ZooKeeper's super user, who passes every ACL: only the server's
   * own bootstrap client holds it (a random credential that lives in this JVM's memory only), to
   * re-ACL nodes left by an earlier run under an earlier credential.
   */
  static void acceptAsSuper(String credential) {
    SUPER.add(digestOf(credential));
  }

  @Override
  public KeeperException.Code handleAuthentication(ServerCnxn cnxn, byte[] authData) {
    String id = new String(authData, StandardCharsets.UTF_8);
    String digest = digestOf(id);
    boolean superUser = SUPER.contains(digest);
    if (!superUser && !ACCEPTED.contains(digest)) {
      // not the user name: a client that sends a bare password would have it logged as one
      log.warn("zookeeper credential refused client={}", cnxn.getRemoteSocketAddress());
      return KeeperException.Code.AUTHFAILED;
    }
    cnxn.addAuthInfo(new Id(getScheme(), digest));
    if (superUser) {
      cnxn.addAuthInfo(new Id("super", ""));
    }
    return KeeperException.Code.OK;
  }

  static String digestOf(String credential) {
    try {
      return generateDigest(credential);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("ZooKeeper's digest algorithm is not available", e);
    }
  }
}
