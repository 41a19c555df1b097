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

  /** A consumer group's name: also the Dubbo group of its consumer and a 64-character column. */
  public static final String GROUP_PATTERN = "[a-z0-9-]{1,64}";

  /** One consumer group's subscription to a topic. */
  public record Subscription(String topic, String consumerGroup, TagExpression expression) {}

  /**
   * A subscription node that cannot be used: a group name that is no valid consumer group, or data
   * that is no tag expression. {@code reason} never holds more than 64 characters of the node.
   */
  public record BadSubscription(String topic, String node, String reason) {}

  /** The subscriptions of a topic, read now: the usable ones, and the nodes that are not. */
  public record Listing(List<Subscription> valid, List<BadSubscription> bad) {}

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

  /**
   * The usable subscriptions of {@code topic}, read now (bad nodes left out: see {@link #read}).
   */
  public List<Subscription> subscriptionsOf(String topic) throws Exception {
    return read(topic).valid();
  }

  /**
   * The subscriptions of {@code topic}, read now. One malformed node (a group name that is not
   * {@value #GROUP_PATTERN}, data that is not a tag expression) is listed in {@link Listing#bad}
   * and does not keep the others from being used.
   *
   * @throws Exception ZooKeeper could not be read (the topic's node itself)
   */
  public Listing read(String topic) throws Exception {
    String parent = ROOT + "/" + topic;
    if (zk.checkExists().forPath(parent) == null) {
      return new Listing(List.of(), List.of());
    }
    List<Subscription> subscriptions = new ArrayList<>();
    List<BadSubscription> bad = new ArrayList<>();
    for (String group : zk.getChildren().forPath(parent)) {
      if (!group.matches(GROUP_PATTERN)) {
        bad.add(
            new BadSubscription(topic, cut(group), "consumer group must match " + GROUP_PATTERN));
        continue;
      }
      String expression;
      try {
        expression = new String(zk.getData().forPath(parent + "/" + group), StandardCharsets.UTF_8);
      } catch (KeeperException.NoNodeException e) {
        continue; // removed while reading: not subscribed any more
      }
      try {
        subscriptions.add(new Subscription(topic, group, TagExpression.parse(expression)));
      } catch (IllegalArgumentException e) {
        bad.add(
            new BadSubscription(
                topic,
                group,
                "tag expression is not *, TAG or TAG || TAG: [" + cut(expression) + "]"));
      }
    }
    return new Listing(List.copyOf(subscriptions), List.copyOf(bad));
  }

  private static String cut(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
