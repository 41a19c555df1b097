package io.txcenter.secrets;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The secrets of one txcenter process: credentials and keys, by name ({@code zk.credential}, {@code
 * rpc.key.mall}, {@code bank.secret}, ...).
 *
 * <p>A secret is read from the owner-only properties file named by the system property or
 * environment variable {@code txc.secrets.file} / {@code TXC_SECRETS_FILE} (a path is not a secret:
 * it may be on the command line), else from the environment variable {@code TXC_SECRET_<NAME>}
 * (name upper-cased, {@code .} and {@code -} as {@code _}). Never from a system property: those are
 * on the command line, which every local user can read with {@code ps}. A secrets file that group
 * or others may read is refused.
 */
public final class Secrets {

  /** The setting naming the secrets file. */
  public static final String FILE_KEY = "txc.secrets.file";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static volatile Properties loaded;

  private Secrets() {}

  /** The secret {@code name}, if this process has it. */
  public static Optional<String> find(String name) {
    String value = file().getProperty(name);
    if (value == null) {
      value = System.getenv(envName(name));
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /**
   * The secret {@code name}.
   *
   * @throws MissingSecretException this process has no such secret; the message names it (never a
   *     value)
   */
  public static String require(String name) {
    return find(name).orElseThrow(() -> new MissingSecretException(name));
  }

  /** The environment variable that may hold the secret {@code name}. */
  public static String envName(String name) {
    return "TXC_SECRET_" + name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** {@code bytes} random bytes, URL-safe base64 without padding. */
  public static String randomToken(int bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
  }

  public static byte[] randomBytes(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return buffer;
  }

  /**
   * Writes {@code secrets} to {@code file}, readable and writable by the owner only from the first
   * byte: a temporary file created with mode 0600 in the same directory, then renamed over {@code
   * file}. There is no moment at which another user could read it.
   */
  public static void writeFile(Path file, Map<String, String> secrets) {
    Properties properties = new Properties();
    properties.putAll(secrets);
    StringWriter text = new StringWriter();
    try {
      properties.store(text, "txcenter secrets: owner-only, never commit or log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeOwnerOnly(file, text.toString());
  }

  /** Writes {@code content} to {@code file} with mode 0600 from creation on, atomically. */
  public static void writeOwnerOnly(Path file, String content) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir,
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
          Files.move(
              tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads an owner-only properties file; refuses one that group or others may read. */
  public static Properties readFile(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : permissions) {
        if (!p.name().startsWith("OWNER_")) {
          throw new InsecureSecretsFileException(file, PosixFilePermissions.toString(permissions));
        }
      }
      Properties properties = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(in);
      }
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read secrets file " + file, e);
    }
  }

  /** Forgets the loaded file, so that the next lookup reads it again (tests, rotation). */
  public static void reload() {
    loaded = null;
  }

  private static Properties file() {
    Properties current = loaded;
    if (current == null) {
      String path = System.getProperty(FILE_KEY);
      if (path == null || path.isBlank()) {
        path = System.getenv("TXC_SECRETS_FILE");
      }
      current = path == null || path.isBlank() ? new Properties() : readFile(Path.of(path));
      loaded = current;
    }
    return current;
  }

  /** A secret this process needs is not configured. */
  public static final class MissingSecretException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MissingSecretException(String name) {
      super(
          "secret '"
              + name
              + "' is not configured: put it in the file named by "
              + FILE_KEY
              + " or in the environment variable "
              + envName(name));
    }
  }

  /** A secrets file that others than its owner may read. */
  public static final class InsecureSecretsFileException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InsecureSecretsFileException(Path file, String permissions) {
      super(
          "secrets file "
              + file
              + " is readable by others than its owner (mode "
              + permissions
              + "): chmod 600 it");
    }
  }
}
