package io.txcenter.kit.dubbo;

import io.txcenter.kit.BindAddress;
import java.net.InetSocketAddress;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.remoting.ChannelHandler;
import org.apache.dubbo.remoting.Client;
import org.apache.dubbo.remoting.RemotingException;
import org.apache.dubbo.remoting.RemotingServer;
import org.apache.dubbo.remoting.Transporter;
import org.apache.dubbo.remoting.transport.netty4.NettyClient;
import org.apache.dubbo.remoting.transport.netty4.NettyServer;

/**
 * Dubbo's netty4 transporter whose server binds {@code txc.bind.host} (127.0.0.1 by default).
 *
 * <p>Why an extension: Dubbo 3.3.6's {@code AbstractServer} constructor replaces any bind IP for
 * which {@code NetUtils.isInvalidLocalHost} holds (every 127.x) or any URL with {@code anyhost} by
 * {@code 0.0.0.0}, so neither {@code protocol.host} nor {@code bind.ip} can keep a provider on
 * loopback. The {@code dubbo} protocol binds through {@code Exchangers.bind} → {@code
 * HeaderExchanger.bind} → {@code Transporters.bind} (the port-unification server is used only when
 * a service sets {@code ext.protocol}, which txcenter does not), and that picks the {@link
 * Transporter} extension named by the URL's {@code server} parameter ({@link
 * org.apache.dubbo.config.ProtocolConfig#setServer}). {@code NettyServer.doOpen} binds {@link
 * #getBindAddress()}, a public non-final method: overriding it is the whole change on the server
 * side.
 *
 * <p>The client side (selected by the consumer's {@code client} parameter) is netty4's client with
 * one override: {@code AbstractClient.getConnectAddress()} passes the provider's host through
 * {@code NetUtils.filterLocalHost}, which turns any 127.x address into this host's first NIC
 * address, where nothing listens. The client connects to the registered address as it is. Heartbeat
 * and reconnect are netty4's, unchanged.
 */
public final class BindHostTransporter implements Transporter {

  /** The extension name, {@code META-INF/dubbo/org.apache.dubbo.remoting.Transporter}. */
  public static final String NAME = "txc-netty4";

  @Override
  public RemotingServer bind(URL url, ChannelHandler handler) throws RemotingException {
    return new BoundServer(url, handler);
  }

  @Override
  public Client connect(URL url, ChannelHandler handler) throws RemotingException {
    return new DirectClient(url, handler);
  }

  /** netty4's client connecting to the provider's registered address, loopback included. */
  static final class DirectClient extends NettyClient {

    DirectClient(URL url, ChannelHandler handler) throws RemotingException {
      super(url, handler);
    }

    // called by the super constructor (connect): stateless, like getBindAddress below
    @Override
    public InetSocketAddress getConnectAddress() {
      return new InetSocketAddress(getUrl().getHost(), getUrl().getPort());
    }
  }

  /** netty4's server on the bind host; the port is the one Dubbo computed. */
  static final class BoundServer extends NettyServer {

    BoundServer(URL url, ChannelHandler handler) throws RemotingException {
      super(url, handler);
    }

    // called by the super constructor (doOpen), before this class's fields exist: keep it
    // stateless
    @Override
    public InetSocketAddress getBindAddress() {
      return new InetSocketAddress(BindAddress.address(), super.getBindAddress().getPort());
    }

    /** The listening socket's own address, as Netty bound it. */
    InetSocketAddress boundAddress() {
      return (InetSocketAddress) getBossChannel().localAddress();
    }
  }
}
