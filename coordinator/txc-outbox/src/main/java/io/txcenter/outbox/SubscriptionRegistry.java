package io.txcenter.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Subscriptions in ZooKeeper: {@code /txc/subscriptions/<topic>/<consumer group>} holding the tag
 * expression. Persistent nodes: a subscription outlives its subscriber's restarts, so messages
 * fanned out while it is down wait for it instead of being skipped.
 */
public final class SubscriptionRegistry {

  public static final String ROOT = "/txc/subscriptions";

  private final CuratorFramework zk;

  public SubscriptionRegistry(CuratorFramework zk) {
    this.zk = zk;
  }

  /** One consumer group's subscription to a topic. */
  public record Subscription(String topic, String consumerGroup, TagExpression expression) {}

  /** Creates or replaces the subscription of {@code group} to {@code topic}. */
  public void register(String topic, String group, TagExpression expression) throws Exception {
    String path = ROOT + "/" + topic + "/" + group;
    byte[] data = expression.toString().getBytes(StandardCharsets.UTF_8);
    try {
      zk.create().creatingParentsIfNeeded().forPath(path, data);
    } catch (KeeperException.NodeExistsException e) {
      zk.setData().forPath(path, data);
    }
  }

  /** The subscriptions of {@code topic}, read now. */
  public List<Subscription> subscriptionsOf(String topic) throws Exception {
    String parent = ROOT + "/" + topic;
    if (zk.checkExists().forPath(parent) == null) {
      return List.of();
    }
    List<Subscription> subscriptions = new ArrayList<>();
    for (String group : zk.getChildren().forPath(parent)) {
      try {
        String expression =
            new String(zk.getData().forPath(parent + "/" + group), StandardCharsets.UTF_8);
        subscriptions.add(new Subscription(topic, group, TagExpression.parse(expression)));
      } catch (KeeperException.NoNodeException e) {
        // removed while reading: not subscribed any more
      }
    }
    return subscriptions;
  }
}
