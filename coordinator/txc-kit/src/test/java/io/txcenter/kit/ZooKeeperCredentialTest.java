package io.txcenter.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

class ZooKeeperCredentialTest {

  @Test
  void givenUserAndPassword_theAclGivesAllToTheirDigestIdentityOnly() throws Exception {
    ZooKeeperCredential credential = ZooKeeperCredential.parse("txc:s3cr:et");

    assertThat(credential.user()).isEqualTo("txc");
    assertThat(credential.password()).isEqualTo("s3cr:et");
    assertThat(credential.acl())
        .containsExactly(
            new ACL(
                ZooDefs.Perms.ALL,
                new Id("digest", DigestAuthenticationProvider.generateDigest("txc:s3cr:et"))));
    // ZooKeeper's validateACL asks contains(null): an immutable List.of would throw
    assertThat(credential.acl().contains(null)).isFalse();
    assertThat(credential.aclProvider().getAclForPath("/txc/x")).isEqualTo(credential.acl());
  }

  @Test
  void toString_neverShowsThePassword() {
    assertThat(ZooKeeperCredential.parse("txc:s3cret").toString())
        .contains("txc")
        .doesNotContain("s3cret");
  }

  @Test
  void aMalformedCredential_isATypedErrorThatNeverShowsTheValue() {
    for (String bad : List.of("nocolon", ":s3cret", "txc:", "")) {
      assertThatThrownBy(() -> ZooKeeperCredential.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("secret 'zk.credential' must be user:password with both parts non-empty");
    }
    assertThatThrownBy(() -> ZooKeeperCredential.parse(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
