/*
 *  Copyright 1999-2019 Seata.io Group.
 *
 *  Licensed under the Apache License, Version 2.0 (the "License");
 *  you may not use this file except in compliance with the License.
 *  You may obtain a copy of the License at
 *
 *       http://www.apache.org/licenses/LICENSE-2.0
 *
 *  Unless required by applicable law or agreed to in writing, software
 *  distributed under the License is distributed on an "AS IS" BASIS,
 *  WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 *  See the License for the specific language governing permissions and
 *  limitations under the License.
 */
package io.seata.core.rpc.netty;

import static io.seata.common.DefaultValues.SERVICE_DEFAULT_PORT;
import static io.seata.core.constants.ConfigurationKeys.SERVER_SERVICE_PORT_CAMEL;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.seata.common.XID;
import io.seata.common.thread.NamedThreadFactory;
import io.seata.config.ConfigurationFactory;
import io.seata.core.rpc.RemotingBootstrap;
import io.seata.core.rpc.netty.v1.ProtocolV1Decoder;
import io.seata.core.rpc.netty.v1.ProtocolV1Encoder;
import io.seata.discovery.registry.MultiRegistryFactory;
import io.seata.discovery.registry.RegistryService;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rpc server bootstrap.
 *
 * <p>txcenter: a copy of seata-core 2.0.0's class of the same name (Apache License 2.0), changed in
 * {@link #start()} only, to bind the RPC port to {@code txc.bind.host} and to register {@code
 * txc.advertise.host} (both set by {@code io.txcenter.tc.TcServerMain}, 127.0.0.1 by default).
 *
 * <p>Why a shadowing copy: the original calls {@code ServerBootstrap.bind(port)}, which listens on
 * every interface, and seata-server 2.0.0 has no host setting and no extension point for it (the
 * bootstrap is a private final field of {@code AbstractNettyRemotingServer}, created by {@code
 * Server.start}; {@code org.apache.seata:seata-server}, whose later versions might, is not on Maven
 * Central). It also refuses to advertise loopback ({@code Server.start}: "127.0.0.1 and 0.0.0.0 are
 * not valid here"), and the public {@code XID.setIpAddress} right before registration is the
 * supported way to set what it registers. This class wins because the runnable jar ({@code
 * tc-server.jar}, {@code java -jar}) is first on the class path, before {@code
 * lib/seata-core-*.jar} from its manifest's {@code Class-Path}. {@code NettyServerBootstrapPinTest}
 * fails when the seata version or the original class's bytecode changes: then re-copy it.
 */
public class NettyServerBootstrap implements RemotingBootstrap {

  private static final Logger LOGGER = LoggerFactory.getLogger(NettyServerBootstrap.class);
  private final ServerBootstrap serverBootstrap = new ServerBootstrap();
  private final EventLoopGroup eventLoopGroupWorker;
  private final EventLoopGroup eventLoopGroupBoss;
  private final NettyServerConfig nettyServerConfig;
  private ChannelHandler[] channelHandlers;
  private int listenPort;
  private final AtomicBoolean initialized = new AtomicBoolean(false);
  static final String BIND_HOST_KEY = "txc.bind.host";
  static final String ADVERTISE_HOST_KEY = "txc.advertise.host";

  public NettyServerBootstrap(NettyServerConfig nettyServerConfig) {
    this.nettyServerConfig = nettyServerConfig;
    if (NettyServerConfig.enableEpoll()) {
      this.eventLoopGroupBoss =
          new EpollEventLoopGroup(
              nettyServerConfig.getBossThreadSize(),
              new NamedThreadFactory(
                  nettyServerConfig.getBossThreadPrefix(), nettyServerConfig.getBossThreadSize()));
      this.eventLoopGroupWorker =
          new EpollEventLoopGroup(
              nettyServerConfig.getServerWorkerThreads(),
              new NamedThreadFactory(
                  nettyServerConfig.getWorkerThreadPrefix(),
                  nettyServerConfig.getServerWorkerThreads()));
    } else {
      this.eventLoopGroupBoss =
          new NioEventLoopGroup(
              nettyServerConfig.getBossThreadSize(),
              new NamedThreadFactory(
                  nettyServerConfig.getBossThreadPrefix(), nettyServerConfig.getBossThreadSize()));
      this.eventLoopGroupWorker =
          new NioEventLoopGroup(
              nettyServerConfig.getServerWorkerThreads(),
              new NamedThreadFactory(
                  nettyServerConfig.getWorkerThreadPrefix(),
                  nettyServerConfig.getServerWorkerThreads()));
    }
  }

  /**
   * Sets channel handlers.
   *
   * @param handlers the handlers
   */
  protected void setChannelHandlers(final ChannelHandler... handlers) {
    if (handlers != null) {
      channelHandlers = handlers;
    }
  }

  /**
   * Add channel pipeline last.
   *
   * @param channel the channel
   * @param handlers the handlers
   */
  private void addChannelPipelineLast(Channel channel, ChannelHandler... handlers) {
    if (channel != null && handlers != null) {
      channel.pipeline().addLast(handlers);
    }
  }

  /**
   * use for mock
   *
   * @param listenPort the listen port
   */
  public void setListenPort(int listenPort) {
    if (listenPort <= 0) {
      throw new IllegalArgumentException("listen port: " + listenPort + " is invalid!");
    }
    this.listenPort = listenPort;
  }

  /**
   * Gets listen port.
   *
   * @return the listen port
   */
  public int getListenPort() {
    if (listenPort != 0) {
      return listenPort;
    }
    String strPort = ConfigurationFactory.getInstance().getConfig(SERVER_SERVICE_PORT_CAMEL);
    int port = 0;
    try {
      port = Integer.parseInt(strPort);
    } catch (NumberFormatException exx) {
      LOGGER.error("server service port set error:{}", exx.getMessage());
    }
    if (port <= 0) {
      LOGGER.error(
          "listen port: {} is invalid, will use default port:{}", port, SERVICE_DEFAULT_PORT);
      port = SERVICE_DEFAULT_PORT;
    }
    listenPort = port;
    return port;
  }

  @Override
  public void start() {
    int port = getListenPort();
    this.serverBootstrap
        .group(this.eventLoopGroupBoss, this.eventLoopGroupWorker)
        .channel(NettyServerConfig.SERVER_CHANNEL_CLAZZ)
        .option(ChannelOption.SO_BACKLOG, nettyServerConfig.getSoBackLogSize())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_SNDBUF, nettyServerConfig.getServerSocketSendBufSize())
        .childOption(ChannelOption.SO_RCVBUF, nettyServerConfig.getServerSocketResvBufSize())
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(
                nettyServerConfig.getWriteBufferLowWaterMark(),
                nettyServerConfig.getWriteBufferHighWaterMark()))
        .localAddress(new InetSocketAddress(bindHost(), port))
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              public void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(
                        new IdleStateHandler(
                            nettyServerConfig.getChannelMaxReadIdleSeconds(), 0, 0))
                    .addLast(new ProtocolV1Decoder())
                    .addLast(new ProtocolV1Encoder());
                if (channelHandlers != null) {
                  addChannelPipelineLast(ch, channelHandlers);
                }
              }
            });

    try {
      this.serverBootstrap.bind(new InetSocketAddress(bindHost(), port)).sync();
      LOGGER.info("Server started, service listen port: {}", getListenPort());
      XID.setIpAddress(advertisedHost());
      InetSocketAddress address = new InetSocketAddress(XID.getIpAddress(), XID.getPort());
      for (RegistryService<?> registryService : MultiRegistryFactory.getInstances()) {
        registryService.register(address);
      }
      initialized.set(true);
    } catch (SocketException se) {
      throw new RuntimeException("Server start failed, the listen port: " + getListenPort(), se);
    } catch (Exception exx) {
      throw new RuntimeException("Server start failed", exx);
    }
  }

  /** txcenter: the address the RPC port listens on. */
  static String bindHost() {
    return System.getProperty(BIND_HOST_KEY, "127.0.0.1");
  }

  /** txcenter: the address registered in the registry and embedded in XIDs. */
  static String advertisedHost() {
    return System.getProperty(ADVERTISE_HOST_KEY, "127.0.0.1");
  }

  @Override
  public void shutdown() {
    try {
      if (LOGGER.isInfoEnabled()) {
        LOGGER.info("Shutting server down, the listen port: {}", XID.getPort());
      }
      if (initialized.get()) {
        InetSocketAddress address = new InetSocketAddress(XID.getIpAddress(), XID.getPort());
        for (RegistryService registryService : MultiRegistryFactory.getInstances()) {
          registryService.unregister(address);
          registryService.close();
        }
        // wait a few seconds for server transport
        TimeUnit.SECONDS.sleep(nettyServerConfig.getServerShutdownWaitTime());
      }

      this.eventLoopGroupBoss.shutdownGracefully();
      this.eventLoopGroupWorker.shutdownGracefully();
    } catch (Exception exx) {
      LOGGER.error("shutdown execute error: {}", exx.getMessage(), exx);
    }
  }
}
