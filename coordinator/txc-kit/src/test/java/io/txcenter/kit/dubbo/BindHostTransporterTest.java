package io.txcenter.kit.dubbo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.remoting.RemotingServer;
import org.apache.dubbo.remoting.Transporter;
import org.apache.dubbo.remoting.transport.ChannelHandlerAdapter;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.junit.jupiter.api.Test;

class BindHostTransporterTest {

  @Test
  void isTheExtensionNamedByTheProtocolsServerParameter() {
    Transporter transporter =
        FrameworkModel.defaultModel()
            .getExtensionLoader(Transporter.class)
            .getExtension(BindHostTransporter.NAME);

    assertThat(transporter).isInstanceOf(BindHostTransporter.class);
  }

  /**
   * What Dubbo hands the transporter for {@code protocol.host = 127.0.0.1}: a NIC address as URL
   * host and {@code anyhost=true}, which the stock server turns into 0.0.0.0.
   */
  @Test
  void aProviderWithAnyhost_listensOnTheBindHostOnly() throws Exception {
    int port = freePort();
    URL url = URL.valueOf("dubbo://192.0.2.2:" + port + "/test?anyhost=true&bind.ip=192.0.2.2");

    RemotingServer server = new BindHostTransporter().bind(url, new ChannelHandlerAdapter());
    try {
      InetSocketAddress bound = ((BindHostTransporter.BoundServer) server).boundAddress();
      assertThat(bound.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(bound.getPort()).isEqualTo(port);
    } finally {
      server.close();
    }
  }

  /** Why the extension exists; if this fails, Dubbo has changed and the extension may go. */
  @Test
  void stockNetty4_bindsTheWildcard_forTheSameUrl() throws Exception {
    int port = freePort();
    URL url = URL.valueOf("dubbo://192.0.2.2:" + port + "/test?anyhost=true&bind.ip=127.0.0.1");

    RemotingServer server =
        new org.apache.dubbo.remoting.transport.netty4.NettyTransporter()
            .bind(url, new ChannelHandlerAdapter());
    try {
      assertThat(((org.apache.dubbo.remoting.transport.AbstractServer) server).getBindAddress())
          .satisfies(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
    } finally {
      server.close();
    }
  }

  /** netty4's client would dial this host's NIC address for a 127.x provider. */
  @Test
  void theClientConnectsToALoopbackProviderOnLoopback() throws Exception {
    int port = freePort();
    URL url = URL.valueOf("dubbo://127.0.0.1:" + port + "/test?anyhost=true");
    RemotingServer server = new BindHostTransporter().bind(url, new ChannelHandlerAdapter());
    try {
      org.apache.dubbo.remoting.Client client =
          new BindHostTransporter().connect(url, new ChannelHandlerAdapter());
      try {
        assertThat(client.isConnected()).isTrue();
        assertThat(client.getRemoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      } finally {
        client.close();
      }
    } finally {
      server.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
