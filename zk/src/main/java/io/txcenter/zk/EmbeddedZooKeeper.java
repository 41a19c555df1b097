package io.txcenter.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/** A real standalone ZooKeeper server in this JVM, listening on 127.0.0.1 only. */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private final ZooKeeperServerEmbedded server;
  private final int port;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts a standalone server and returns once it answers {@code ruok}. */
  public static EmbeddedZooKeeper start(int port, Path baseDir) throws Exception {
    return start(port, baseDir, 0, "");
  }

  /**
   * Starts a server; with {@code ensemble} ({@code <id>:<clientPort>:<peerPort>:<electionPort>}
   * joined by {@code ,}, all on 127.0.0.1) it is member {@code myId} of that quorum. Returns once
   * it answers {@code ruok}, which a quorum member does only after the quorum has formed.
   */
  public static EmbeddedZooKeeper start(int port, Path baseDir, int myId, String ensemble)
      throws Exception {
    Files.createDirectories(baseDir);
    Properties config = new Properties();
    config.setProperty("clientPort", String.valueOf(port));
    config.setProperty("clientPortAddress", "127.0.0.1");
    // sessions expire on tick boundaries and are raised to at least 2 ticks: a 500 ms tick lets
    // the relays' 3 s sessions end close to 3 s, so a killed leader is replaced within 5 s
    config.setProperty("tickTime", "500");
    config.setProperty("minSessionTimeout", "2000");
    config.setProperty("initLimit", "40");
    config.setProperty("syncLimit", "20");
    config.setProperty("maxClientCnxns", "0");
    config.setProperty("admin.enableServer", "false");
    config.setProperty("4lw.commands.whitelist", "ruok,srvr,stat,mntr");
    config.setProperty("dataDir", baseDir.resolve("data").toString());
    if (!ensemble.isBlank()) {
      Files.createDirectories(baseDir.resolve("data"));
      Files.writeString(baseDir.resolve("data").resolve("myid"), myId + "\n");
      for (String member : ensemble.split(",")) {
        String[] f = member.trim().split(":");
        if (f.length != 4) {
          throw new IllegalArgumentException(
              "ensemble member must be <id>:<clientPort>:<peerPort>:<electionPort>, was ["
                  + member
                  + "]");
        }
        config.setProperty("server." + f[0], "127.0.0.1:" + f[2] + ":" + f[3]);
      }
    }
    ZooKeeperServerEmbedded server =
        ZooKeeperServerEmbedded.builder()
            .baseDir(baseDir)
            .configuration(config)
            .exitHandler(ExitHandler.LOG_ONLY)
            .build();
    server.start();
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(server, port);
    zk.awaitServing(Duration.ofSeconds(ensemble.isBlank() ? 30 : 120));
    return zk;
  }

  public String connectString() {
    return "127.0.0.1:" + port;
  }

  private void awaitServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if ("imok".equals(fourLetterWord("ruok"))) {
        return;
      }
      Thread.sleep(100); // polling a socket: there is no event to wait on
    }
    throw new IllegalStateException("zookeeper did not answer ruok on port " + port);
  }

  private String fourLetterWord(String word) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
