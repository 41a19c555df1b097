package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.secrets.Secrets;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a local user without the owner's rights could learn, looked at on the running topology: the
 * command line of every process ({@code ps}), every log, the modes of the files holding secrets;
 * and the console's answer to a password guesser.
 */
@ExtendWith(SharedTopology.class)
class SecretsIT {

  private static TopologyConfig config;
  private static Topology topology;
  private static List<String> secretValues;

  @BeforeAll
  static void useSharedTopology() {
    config = SharedTopology.get().config();
    topology = SharedTopology.get().topology();
    Properties secrets = Secrets.readFile(ClusterSecrets.file(config.runDir()));
    secretValues = new ArrayList<>();
    secrets.stringPropertyNames().forEach(name -> secretValues.add(secrets.getProperty(name)));
    // the ZooKeeper credential's password part is what must not leak (its user name is "txc")
    secrets.stringPropertyNames().stream()
        .filter(name -> secrets.getProperty(name).contains(":"))
        .forEach(name -> secretValues.add(secrets.getProperty(name).split(":", 2)[1]));
    secretValues.add(SharedTopology.CONSOLE_PASSWORD);
    if (!config.dbPassword().isEmpty()) {
      secretValues.add(config.dbPassword());
    }
    assertThat(secretValues).hasSizeGreaterThan(10).allMatch(v -> v.length() >= 8);
  }

  @Test
  void noProcessCommandLine_holdsASecret() throws IOException {
    List<String> names = topology.processNames();
    assertThat(names).hasSizeGreaterThan(10);
    for (String name : names) {
      long pid = topology.running(name).orElseThrow().pid();
      // /proc/<pid>/cmdline is what ps shows any local user: arguments separated by NUL
      String commandLine =
          new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")))
              .replace('\0', ' ');
      assertThat(commandLine).as("command line of %s", name).contains("-Dtxc.secrets.file=");
      for (String secret : secretValues) {
        assertThat(commandLine).as("command line of %s", name).doesNotContain(secret);
      }
    }
  }

  @Test
  void noLog_holdsASecret() throws IOException {
    List<Path> logs;
    try (Stream<Path> files = Files.walk(config.runDir().resolve("logs"))) {
      logs = files.filter(Files::isRegularFile).toList();
    }
    assertThat(logs).hasSizeGreaterThan(10);
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      for (String secret : secretValues) {
        assertThat(text).as("log %s", log).doesNotContain(secret);
      }
    }
  }

  @Test
  void filesHoldingSecrets_areOwnerOnly() throws IOException {
    for (Path file :
        List.of(
            ClusterSecrets.file(config.runDir()), config.runDir().resolve(TopologyConfig.FILE))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as("mode of %s", file)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void consoleGuesser_isLockedOutAfterFiveFailures_evenWithTheRightPassword_andOnlyThatAddress()
      throws IOException {
    // the guesser comes from 127.0.0.2 (still loopback), so the rest of the suite, on 127.0.0.1, is
    // not locked out
    String guesser = "127.0.0.2";
    for (int i = 0; i < 5; i++) {
      assertThat(login(guesser, "txc-admin", "guess-" + i))
          .startsWith("HTTP/1.1 200")
          .doesNotContain("Bearer ");
    }
    assertThat(login(guesser, "txc-admin", SharedTopology.CONSOLE_PASSWORD))
        .startsWith("HTTP/1.1 429")
        .contains("Retry-After")
        .doesNotContain("Bearer ");
    assertThat(login("127.0.0.1", "txc-admin", SharedTopology.CONSOLE_PASSWORD))
        .startsWith("HTTP/1.1 200")
        .contains("Bearer ");
  }

  /**
   * A raw HTTP login from {@code source}: the JDK's HTTP client cannot choose its local address.
   */
  private static String login(String source, String user, String password) throws IOException {
    String body = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", config.consolePort()), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
