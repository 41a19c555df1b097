package io.txcenter.tools.systemtests;

import io.txcenter.testkit.TestDatabase;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real topology (every service its own JVM) shared by the end-to-end test classes of this
 * module, started on free loopback ports and fresh schemas before the first class and stopped,
 * schemas dropped, after the last (JUnit's root store closes it).
 */
public final class SharedTopology implements BeforeAllCallback {

  static final String A = "ch-a";
  static final String B = "ch-b";
  static final String CONSOLE_PASSWORD = "it-" + UUID.randomUUID();

  /** Compressed retry ladder: 16 steps of 150 ms, so a dead letter appears in about 2.5 s. */
  static final String LADDER = String.join(",", java.util.Collections.nCopies(16, "150ms"));

  /** The customer-service subscriber fails the first two attempts of every message. */
  static final int CS_FAILS = 2;

  private static Running running;

  /** The running topology and a client of it. */
  record Running(TopologyConfig config, Topology topology, Clients clients)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      clients.close();
      topology.down(System.out);
      TestDatabase db = TestDatabase.get();
      config.schemas().forEach(db::dropSchema);
    }
  }

  static Running get() {
    return running;
  }

  /**
   * The events (their payload's {@code event} names) accompaniment group {@code group} applied for
   * {@code businessKey}, in its own schema.
   */
  static List<String> eventsApplied(String group, String businessKey) {
    TopologyConfig config = running.config();
    return config
        .serverJdbc()
        .queryForList(
            "SELECT payload FROM "
                + config.schemaOfSubscriber(group)
                + ".accompaniment_event WHERE business_key = ?",
            String.class,
            businessKey)
        .stream()
        .map(p -> p.replaceAll(".*\"event\":\"([A-Z_]+)\".*", "$1"))
        .toList();
  }

  private static boolean seataStarted;

  /** Starts this JVM's Seata TM client once, for tests that begin global transactions. */
  static synchronized void seataClient() {
    if (!seataStarted) {
      io.txcenter.kit.SeataClient.start("txc-it");
      seataStarted = true;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (SharedTopology.class) {
      if (running != null) {
        // a class in between may have started its own topology and pointed this JVM's
        // ZooKeeper address and secrets at it
        Clients.bindTo(running.config());
        return;
      }
      running = start();
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("txc-topology", running);
    }
  }

  private static Running start() {
    TestDatabase db = TestDatabase.get();
    Path home = Path.of(System.getProperty("txc.home", "..")).toAbsolutePath().normalize();
    String id = UUID.randomUUID().toString().substring(0, 6);
    TopologyConfig config =
        new TopologyConfig(
            home,
            Path.of("target", "it-run-" + id).toAbsolutePath(),
            false,
            db.serverUrl(),
            db.user(),
            db.password(),
            "it" + id + "_",
            ItPorts.free(home, 2, false),
            List.of(A, B),
            false,
            "file",
            "txc-admin",
            CONSOLE_PASSWORD,
            LADDER,
            "cs",
            CS_FAILS,
            false,
            false);
    Topology topology = new Topology(config);
    try {
      topology.up(System.out);
    } catch (RuntimeException e) {
      topology.down(System.out);
      throw e;
    }
    Clients clients = new Clients(config);
    try {
      clients.portal().grant(A, 1_000_000, "test SharedTopology");
      clients.portal().grant(B, 1_000_000, "test SharedTopology");
    } catch (RuntimeException e) {
      // nothing else would stop the processes: the store has no Running yet
      clients.close();
      topology.down(System.out);
      throw e;
    }
    return new Running(config, topology, clients);
  }
}
