package io.txcenter.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.secrets.ZooKeeperJaas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.URIParameter;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JAAS files the ZooKeeper server and the TC write, read back by the JDK's own parser. */
class ZooKeeperJaasTest {

  @TempDir Path dir;

  @Test
  void theSaslUser_isTheUserAndAFingerprintOfTheWholeCredential() {
    assertThat(ZooKeeperJaas.saslUser("txc:one")).matches("txc_[0-9a-f]{12}");
    assertThat(ZooKeeperJaas.saslUser("txc:one")).isEqualTo(ZooKeeperJaas.saslUser("txc:one"));
    assertThat(ZooKeeperJaas.saslUser("txc:one")).isNotEqualTo(ZooKeeperJaas.saslUser("txc:two"));
  }

  @Test
  void theServerSection_acceptsEveryCredential_underItsOwnUser_ownerOnly() throws Exception {
    String current = "txc:cur\"rent\\pass";
    String previous = "txc:previous";
    Path file = dir.resolve("secrets/server.conf");
    ZooKeeperJaas.writeServer(file, List.of(current, previous));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    Map<String, Object> options = Map.copyOf(section(file, "Server").getOptions());
    assertThat(options)
        .containsEntry("user_" + ZooKeeperJaas.saslUser(current), "cur\"rent\\pass")
        .containsEntry("user_" + ZooKeeperJaas.saslUser(previous), "previous")
        .hasSize(2);
  }

  @Test
  void theClientSection_logsInWithTheCredential_ownerOnly() throws Exception {
    Path file = dir.resolve("client.conf");
    ZooKeeperJaas.writeClient(file, "txc:secret");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    AppConfigurationEntry client = section(file, "Client");
    assertThat(client.getLoginModuleName())
        .isEqualTo("org.apache.zookeeper.server.auth.DigestLoginModule");
    assertThat(Map.<String, Object>copyOf(client.getOptions()))
        .containsEntry("username", ZooKeeperJaas.saslUser("txc:secret"))
        .containsEntry("password", "secret");
  }

  @Test
  void aCredentialJaasCannotHold_isRefusedWithoutShowingIt_andNothingIsWritten() {
    Path file = dir.resolve("bad.conf");
    for (String bad : List.of("no-colon", "us-er:secret", "txc:${user.home}", ":secret")) {
      assertThatThrownBy(() -> ZooKeeperJaas.writeClient(file, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .doesNotContain("secret")
          .doesNotContain("user.home");
    }
    assertThat(file).doesNotExist();
  }

  private static AppConfigurationEntry section(Path file, String name) throws Exception {
    Configuration config =
        Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri()));
    AppConfigurationEntry[] entries = config.getAppConfigurationEntry(name);
    assertThat(entries).hasSize(1);
    return entries[0];
  }
}
