package io.txcenter.tools.topology;

import io.txcenter.account.api.AccountService;
import io.txcenter.kit.DubboNode;
import io.txcenter.mall.api.MallService;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.payment.api.PaymentService;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.PortalService;
import io.txcenter.secrets.Secrets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Dubbo references of the CLI to the services of a running topology (discovered in ZooKeeper). */
public final class Clients implements AutoCloseable {

  private final DubboNode node;
  private final Map<String, PointsService> points = new ConcurrentHashMap<>();
  private final Map<String, EventConsumer> consumers = new ConcurrentHashMap<>();
  private MallService mall;
  private PaymentService payment;
  private PortalService portal;
  private AccountService account;
  private final Map<String, Object> others = new ConcurrentHashMap<>();

  public Clients(TopologyConfig config) {
    bindTo(config);
    this.node = DubboNode.consumer("txc-cli");
    node.start();
  }

  /**
   * Points this JVM's clients at {@code config}'s topology: its ZooKeeper, its secrets file, and
   * the operator's identity. These are JVM-wide settings, so a JVM that has reached another
   * topology since (a test JVM) calls this again before it uses this one's clients.
   */
  public static void bindTo(TopologyConfig config) {
    System.setProperty("txc.zk.address", config.zkAddress());
    // the CLI is the operator: it signs its calls with rpc.key.operator from the topology's secrets
    System.setProperty(Secrets.FILE_KEY, ClusterSecrets.file(config.runDir()).toString());
    System.setProperty("txc.rpc.identity", "operator");
    Secrets.reload();
  }

  public synchronized MallService mall() {
    if (mall == null) {
      mall = node.reference(MallService.class, null);
    }
    return mall;
  }

  public synchronized PaymentService payment() {
    if (payment == null) {
      payment = node.reference(PaymentService.class, null);
    }
    return payment;
  }

  public synchronized PortalService portal() {
    if (portal == null) {
      portal = node.reference(PortalService.class, null);
    }
    return portal;
  }

  public synchronized AccountService account() {
    if (account == null) {
      account = node.reference(AccountService.class, null);
    }
    return account;
  }

  /**
   * A reference to any other service (a tool's own, e.g. the bench plugins' services), by interface
   * and Dubbo group; one per pair.
   */
  public <T> T reference(Class<T> type, String group) {
    return type.cast(
        others.computeIfAbsent(type.getName() + "/" + group, k -> node.reference(type, group)));
  }

  /** A subscriber's consumer, by consumer group (Dubbo group). */
  public EventConsumer consumer(String group) {
    return consumers.computeIfAbsent(group, g -> node.reference(EventConsumer.class, g));
  }

  public PointsService points(String channel) {
    return points.computeIfAbsent(channel, c -> node.reference(PointsService.class, c));
  }

  @Override
  public void close() {
    node.stop();
  }
}
