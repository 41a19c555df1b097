package io.txcenter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's metrics, scraped by Prometheus: Micrometer's Prometheus registry with the JVM and
 * process binders, served as {@code GET /metrics} (Prometheus text format, Micrometer's own
 * exposition) on {@code bind:port}. The registry is added to Micrometer's global registry, so code
 * anywhere in the process records with {@link Metrics} (a meter made before {@link #start} is
 * carried over when the registry is added; without an endpoint it records nothing), and a library
 * that reports to the global registry is exposed too.
 *
 * <p>The bind address is the caller's, already checked by the process's own bind rule (127.0.0.1 in
 * local mode): this module has no other txcenter dependency, so the TC, ZooKeeper, the embedded
 * database and the merchant stub use it too. The series are listed in docs/operations.md.
 *
 * <p>Why the JDK's {@code HttpServer} and not the Prometheus client's: the page is one handler, and
 * this one binds exactly the given address (no wildcard default to get wrong).
 */
public final class MetricsEndpoint implements AutoCloseable {

  /** The setting (system property, or env {@code TXC_METRICS_PORT}) naming the port. */
  public static final String PORT_KEY = "txc.metrics.port";

  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final HttpServer server;

  private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
  }

  /**
   * The port the process's settings name ({@link #PORT_KEY}), or -1 when none is set (a process
   * started outside the topology, a test): then no endpoint is started.
   *
   * @throws IllegalArgumentException when the value is not a port in [0, 65535]
   */
  public static int configuredPort() {
    String value = System.getProperty(PORT_KEY);
    if (value == null) {
      value = System.getenv(PORT_KEY.replace('.', '_').toUpperCase(Locale.ROOT));
    }
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // falls through to the typed error
    }
    throw new IllegalArgumentException(
        "setting '" + PORT_KEY + "' must be a port in [0, 65535], was [" + value + "]");
  }

  /**
   * Starts the endpoint on {@code bind} and the port the settings name, tagging nothing (Prometheus
   * adds the target's {@code job} and {@code process}); null when no port is set.
   */
  public static MetricsEndpoint startFromSettings(InetAddress bind) {
    int port = configuredPort();
    return port < 0 ? null : start(bind, port);
  }

  /** Starts the registry and the endpoint on {@code bind:port} ({@code 0}: any free port). */
  public static MetricsEndpoint start(InetAddress bind, int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    @SuppressWarnings("resource") // lives as long as the process
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    } catch (IOException e) {
      registry.close();
      throw new UncheckedIOException("metrics endpoint cannot listen on " + bind + ":" + port, e);
    }
    server.createContext("/metrics", exchange -> answer(exchange, registry));
    // one small daemon thread: a scrape every few seconds needs no more
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    // one txc_ series in every process, the ones without txc code of their own included (the
    // database's and ZooKeeper's wrappers, the merchant stub): 1 while the process serves
    Gauge.builder("txc.process.info", () -> 1)
        .description("1 while this txcenter process serves; its name as the launcher gave it")
        .tag("name", System.getProperty("txc.name", "unnamed"))
        .strongReference(true)
        .register(registry);
    Metrics.addRegistry(registry);
    MetricsEndpoint endpoint = new MetricsEndpoint(registry, server);
    log.info("metrics endpoint ready address={}:{}", bind.getHostAddress(), endpoint.port());
    return endpoint;
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address the endpoint listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops serving and removes the registry from the global one. */
  @Override
  public void close() {
    server.stop(0);
    Metrics.removeRegistry(registry);
    registry.close();
  }
}
