package io.txcenter.kit;

import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Seata client (TM and RM) of one process, discovering the TC through ZooKeeper.
 *
 * <p>Seata's file configuration gives system properties precedence, so the ZooKeeper address and
 * the transaction service group are set as properties before the clients start.
 */
public final class SeataClient {

  /** The transaction service group every txcenter process uses; mapped to TC cluster "default". */
  public static final String TX_SERVICE_GROUP = "txc_tx_group";

  private static final Logger log = LoggerFactory.getLogger(SeataClient.class);

  private SeataClient() {}

  public static void start(String applicationId) {
    defaultProperty("registry.type", "zk");
    defaultProperty("registry.zk.serverAddr", Settings.zookeeper());
    defaultProperty("registry.zk.sessionTimeout", "6000");
    defaultProperty("registry.zk.connectTimeout", "5000");
    // set inside this JVM, never on its command line: Seata's Curator client authenticates with
    // digest user:password (it only reads /registry/zk/<cluster>, restricted to that identity)
    ZooKeeperCredential zkCredential = ZooKeeperCredential.ofProcess();
    System.setProperty("registry.zk.username", zkCredential.user());
    System.setProperty("registry.zk.password", zkCredential.password());
    defaultProperty(
        "service.vgroupMapping." + TX_SERVICE_GROUP, Settings.string("txc.tc.cluster", "default"));
    // Seata's batch sender (on by default for the RM) wakes every millisecond whether or not there
    // is anything to send: 5-7 % of a core per process, measured per thread under the benchmark,
    // more than the merging saves at these rates (docs/bench). Requests go out from the caller.
    String batchSend = Settings.string("txc.seata.batch-send", "false");
    defaultProperty("transport.enableRmClientBatchSendRequest", batchSend);
    defaultProperty("transport.enableTmClientBatchSendRequest", batchSend);
    TMClient.init(applicationId, TX_SERVICE_GROUP);
    RMClient.init(applicationId, TX_SERVICE_GROUP);
    log.info("seata client started application={} group={}", applicationId, TX_SERVICE_GROUP);
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
