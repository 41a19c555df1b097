package io.txcenter.kit;

import io.txcenter.secrets.DigestCredential;
import io.txcenter.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The cluster's ZooKeeper digest credential ({@code user:password}, secret {@code zk.credential})
 * and the ACL every node a txcenter process creates carries: ALL for that identity, nothing for
 * anyone else. {@link #toString} never shows the password.
 */
public final class ZooKeeperCredential {

  /** The name of the secret holding the credential. */
  public static final String SECRET = "zk.credential";

  private final String user;
  private final String password;

  private ZooKeeperCredential(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /** The credential of this process (secret {@value #SECRET}). */
  public static ZooKeeperCredential ofProcess() {
    return parse(Secrets.require(SECRET));
  }

  /**
   * {@code user:password}.
   *
   * @throws IllegalArgumentException either part is empty (the message never shows the value)
   */
  public static ZooKeeperCredential parse(String credential) {
    DigestCredential parsed = DigestCredential.parse(credential, "secret '" + SECRET + "'");
    return new ZooKeeperCredential(parsed.user(), parsed.password());
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The bytes ZooKeeper's {@code addAuth digest} takes. */
  public byte[] authBytes() {
    return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
  }

  /** The identity this credential authenticates as: {@code digest:user:base64(sha1)}. */
  public Id id() {
    try {
      return new Id("digest", DigestAuthenticationProvider.generateDigest(user + ":" + password));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("ZooKeeper's digest algorithm is not available", e);
    }
  }

  /** ALL for this identity, nothing for anyone else. */
  public List<ACL> acl() {
    // not List.of: ZooKeeper.validateACL asks contains(null), which immutable lists refuse
    return Collections.unmodifiableList(new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, id()))));
  }

  /** Curator's ACL for every node it creates, parents included. */
  public ACLProvider aclProvider() {
    List<ACL> acl = acl();
    return new ACLProvider() {
      @Override
      public List<ACL> getDefaultAcl() {
        return acl;
      }

      @Override
      public List<ACL> getAclForPath(String path) {
        return acl;
      }
    };
  }

  @Override
  public String toString() {
    return "ZooKeeperCredential[user=" + user + "]";
  }
}
