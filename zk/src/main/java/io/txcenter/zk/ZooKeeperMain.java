package io.txcenter.zk;

import io.txcenter.metrics.MetricsEndpoint;
import io.txcenter.secrets.Secrets;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper process of the local topology. Settings: {@code txc.zk.port} (2181), {@code
 * txc.run.dir} (run), {@code txc.name} (zk); data under {@code <run dir>/data/<name>}. For an
 * ensemble member: {@code txc.zk.id} and {@code txc.zk.ensemble} ({@code
 * <id>:<clientPort>:<peerPort>:<electionPort>,...}, every member on this one's bind address, or
 * {@code <id>:<host>:<clientPort>:<peerPort>:<electionPort>,...}, a host per member; see {@link
 * EmbeddedZooKeeper#config}). Secrets ({@link Secrets}): {@code zk.credential}, the cluster's
 * {@code user:password}, and while a rotation is under way {@code zk.credential.previous}, accepted
 * as well; the Seata TC cluster whose node is restricted: {@code txc.tc.cluster} (default).
 */
public final class ZooKeeperMain {

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperMain.class);

  private ZooKeeperMain() {}

  public static void main(String[] args) throws Exception {
    Path runDir = Path.of(System.getProperty("txc.run.dir", "run")).toAbsolutePath();
    String name = System.getProperty("txc.name", "zk");
    int port = Integer.parseInt(System.getProperty("txc.zk.port", "2181"));
    int myId = Integer.parseInt(System.getProperty("txc.zk.id", "0"));
    String ensemble = System.getProperty("txc.zk.ensemble", "");
    List<String> credentials = new ArrayList<>();
    credentials.add(Secrets.require("zk.credential"));
    Secrets.find("zk.credential.previous").ifPresent(credentials::add);
    EmbeddedZooKeeper zk =
        EmbeddedZooKeeper.start(
            port,
            runDir.resolve("data/" + name),
            myId,
            ensemble,
            credentials,
            System.getProperty("txc.tc.cluster", "default"));
    Runtime.getRuntime().addShutdownHook(new Thread(zk::close, "zk-shutdown"));
    MetricsEndpoint.startFromSettings(InetAddress.getByName(EmbeddedZooKeeper.bindHost()));
    Path marker = runDir.resolve(name + ".ready");
    Files.writeString(marker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    marker.toFile().deleteOnExit();
    log.info("zookeeper ready address={}", zk.connectString());
    new CountDownLatch(1).await();
  }
}
