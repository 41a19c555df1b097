package io.txcenter.secrets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.login.Configuration;

/**
 * JAAS files for ZooKeeper's SASL DIGEST-MD5 login ({@code
 * org.apache.zookeeper.server.auth.DigestLoginModule}), derived from the cluster credential {@code
 * user:password}: the server's {@code Server} section accepts every credential given, the client's
 * {@code Client} section logs in with one. Unlike a digest {@code addAuthInfo}, which a client
 * holds for one handle only, ZooKeeper's client repeats the SASL login on every connection of every
 * new handle (after a session expiry too).
 *
 * <p>The SASL user name is {@link #saslUser}: the credential's user followed by a fingerprint of
 * the whole credential, so that the current and the previous credential of a rotation (same user,
 * different passwords) are two JAAS users and two ACL identities. The files are written owner-only
 * and hold the password: never log their content.
 */
public final class ZooKeeperJaas {

  /** The JVM-wide system property naming the JAAS file (a path, not a secret). */
  public static final String LOGIN_CONFIG = "java.security.auth.login.config";

  private static final String MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";

  private ZooKeeperJaas() {}

  /**
   * {@code <user>_<12 hex digits of sha256(credential)>}: the identity {@code sasl:<that>} a client
   * holding {@code credential} gets from a SASL login.
   */
  public static String saslUser(String credential) {
    String user = user(credential);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
      return user + "_" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Writes a {@code Server} section accepting each of {@code credentials} to {@code file}. */
  public static void writeServer(Path file, List<String> credentials) {
    StringBuilder text = new StringBuilder("Server {\n  " + MODULE + " required");
    for (String credential : credentials) {
      text.append("\n  user_")
          .append(saslUser(credential))
          .append("=")
          .append(quoted(password(credential)));
    }
    Secrets.writeOwnerOnly(file, text.append(";\n};\n").toString());
  }

  /** Writes a {@code Client} section logging in with {@code credential} to {@code file}. */
  public static void writeClient(Path file, String credential) {
    Secrets.writeOwnerOnly(
        file,
        "Client {\n  "
            + MODULE
            + " required\n  username="
            + quoted(saslUser(credential))
            + "\n  password="
            + quoted(password(credential))
            + ";\n};\n");
  }

  /**
   * Makes {@code file} this JVM's JAAS configuration, re-read now even if an earlier one was loaded
   * ({@link Configuration} is cached JVM-wide).
   */
  public static void install(Path file) {
    System.setProperty(LOGIN_CONFIG, file.toAbsolutePath().toString());
    Configuration.getConfiguration().refresh();
  }

  private static String user(String credential) {
    String user = DigestCredential.parse(credential, "a ZooKeeper credential").user();
    if (!user.matches("[A-Za-z0-9_]+")) {
      // a JAAS option name (user_<name>) is a word: letters, digits and '_' are safe
      throw new IllegalArgumentException(
          "a ZooKeeper credential's user must be letters, digits or '_' for SASL");
    }
    return user;
  }

  private static String password(String credential) {
    String password = DigestCredential.parse(credential, "a ZooKeeper credential").password();
    if (password.contains("${")) {
      // the JAAS parser expands ${...} in option values
      throw new IllegalArgumentException(
          "a ZooKeeper credential's password must not contain '${' for SASL");
    }
    return password;
  }

  /** A JAAS quoted string: StreamTokenizer's escapes for backslash and double quote. */
  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
