package io.txcenter.secrets;

/**
 * A {@code user:password} credential (ZooKeeper's digest scheme), split once for every process that
 * reads one: the services, the TC, ZooKeeper itself. {@link #toString} never shows the password.
 */
public record DigestCredential(String user, String password) {

  /**
   * Splits {@code credential} at its first {@code :}.
   *
   * @param what how the message names it, e.g. {@code secret 'zk.credential'}
   * @throws IllegalArgumentException either part is empty; the message never shows the value
   */
  public static DigestCredential parse(String credential, String what) {
    int colon = credential == null ? -1 : credential.indexOf(':');
    if (colon < 1 || colon == credential.length() - 1) {
      throw new IllegalArgumentException(what + " must be user:password with both parts non-empty");
    }
    return new DigestCredential(credential.substring(0, colon), credential.substring(colon + 1));
  }

  @Override
  public String toString() {
    return "DigestCredential[user=" + user + ", password=(hidden)]";
  }
}
