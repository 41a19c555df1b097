package io.seata.core.rpc.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.seata.core.protocol.Version;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tc-server shadows seata-core 2.0.0's {@code NettyServerBootstrap} (bind host, advertised host).
 * The copy is only right for the exact class it was copied from: this fails when the seata version
 * or the original's bytecode changes, so the copy is redone rather than silently running an old
 * bootstrap inside a newer server.
 */
class NettyServerBootstrapPinTest {

  private static final String CLASS = "io/seata/core/rpc/netty/NettyServerBootstrap.class";
  private static final String INNER = "io/seata/core/rpc/netty/NettyServerBootstrap$1.class";

  @Test
  void seataIsTheVersionTheCopyWasMadeFrom() {
    assertThat(Version.getCurrent()).isEqualTo("2.0.0");
  }

  @Test
  void theShadowedOriginal_isByteForByteSeataCore200s() throws Exception {
    assertThat(sha256(original(CLASS)))
        .isEqualTo("b1b0019de318b3b2cc5d0784d18176c4916f6ef69d244c24035fcd89d892f722");
    assertThat(sha256(original(INNER)))
        .isEqualTo("ad610aefff3703fea345c6021f0150ca3aeda5a79594a8bb8ea5f62d3813705c");
  }

  @Test
  void ourCopyIsTheOneLoaded_beforeTheJarsOriginal() throws Exception {
    List<URL> all = Collections.list(getClass().getClassLoader().getResources(CLASS));

    assertThat(all).hasSize(2);
    assertThat(all.get(0).toString()).doesNotContain("seata-core");
    assertThat(NettyServerBootstrap.class.getDeclaredField("BIND_HOST_KEY")).isNotNull();
  }

  @Test
  void bindsAndAdvertisesTheConfiguredHosts_loopbackByDefault() {
    String bind = System.clearProperty(NettyServerBootstrap.BIND_HOST_KEY);
    String advertise = System.clearProperty(NettyServerBootstrap.ADVERTISE_HOST_KEY);
    try {
      assertThat(NettyServerBootstrap.bindHost()).isEqualTo("127.0.0.1");
      assertThat(NettyServerBootstrap.advertisedHost()).isEqualTo("127.0.0.1");
      System.setProperty(NettyServerBootstrap.BIND_HOST_KEY, "127.1.2.3");
      assertThat(NettyServerBootstrap.bindHost()).isEqualTo("127.1.2.3");
    } finally {
      restore(NettyServerBootstrap.BIND_HOST_KEY, bind);
      restore(NettyServerBootstrap.ADVERTISE_HOST_KEY, advertise);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static byte[] original(String resource) throws IOException {
    for (URL url :
        Collections.list(
            NettyServerBootstrapPinTest.class.getClassLoader().getResources(resource))) {
      if (url.toString().contains("seata-core-")) {
        try (InputStream in = url.openStream()) {
          return in.readAllBytes();
        }
      }
    }
    throw new AssertionError("no " + resource + " in a seata-core jar on the class path");
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
