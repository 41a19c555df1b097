package io.txcenter.tools.cli;

import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code bin/txc top [--once] [--interval S]}: one screen of the running topology, from every
 * process's metrics endpoint (no Prometheus needed): orders, payments and purchases per second, TCC
 * phases per second, the global transactions' p50/p99 over the interval, each outbox's backlog and
 * dead letters and its leading relay, the TC's sessions in doubt, and every process up or down.
 * Rates are the difference of two scrapes {@code S} seconds apart (1 by default). {@code --once}
 * prints one screen and exits; otherwise the screen is redrawn every interval until interrupted.
 */
final class TopCommand {

  /** The global transactions by name, as the initiators name them (GlobalTransactionTemplate). */
  static final Map<String, String> FLOWS =
      Map.of(
          "orders", "placeOrder", "payments", "completePayment", "purchases", "discountPurchase");

  private final Topology topology;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  TopCommand(Topology topology, PrintStream out) {
    this.topology = topology;
    this.out = out;
  }

  int run(Map<String, String> options) throws InterruptedException {
    int interval;
    try {
      interval = Integer.parseInt(options.getOrDefault("interval", "1"));
    } catch (NumberFormatException e) {
      interval = -1;
    }
    if (interval < 1 || interval > 60) {
      throw new CliException(
          "--interval must be whole seconds in [1, 60], was [" + options.get("interval") + "]");
    }
    boolean once = options.containsKey("once");
    Map<String, MetricsScrape> before = scrapeAll();
    while (true) {
      Thread.sleep(interval * 1000L); // the sampling interval of a rate, not a synchronisation
      Map<String, MetricsScrape> after = scrapeAll();
      String screen =
          render(before, after, interval, LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
      if (once) {
        out.print(screen);
        return 0;
      }
      out.print("\033[H\033[2J" + screen); // home and clear: one screen, redrawn
      out.flush();
      before = after;
    }
  }

  /** Every process's page, null for one that did not answer (down). */
  Map<String, MetricsScrape> scrapeAll() {
    Map<String, MetricsScrape> pages = new LinkedHashMap<>();
    topology
        .metricsTargets()
        .forEach(
            (process, target) -> {
              try {
                HttpResponse<String> page =
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + target.port() + "/metrics"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                pages.put(
                    process, page.statusCode() == 200 ? MetricsScrape.parse(page.body()) : null);
              } catch (IOException e) {
                pages.put(process, null);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pages.put(process, null);
              }
            });
    return pages;
  }

  /** The screen for two scrapes {@code seconds} apart. */
  static String render(
      Map<String, MetricsScrape> before,
      Map<String, MetricsScrape> after,
      double seconds,
      LocalTime at) {
    MetricsScrape now = merged(after);
    MetricsScrape then = merged(before);
    StringBuilder s = new StringBuilder();
    s.append(String.format("txcenter top  %s  (rates over %.0f s)%n", at, seconds));
    StringBuilder flows = new StringBuilder();
    for (String flow : List.of("orders", "payments", "purchases")) {
      String name = FLOWS.get(flow);
      double committed =
          rate(
              then,
              now,
              seconds,
              "txc_global_transactions_total",
              "name",
              name,
              "outcome",
              "committed");
      double rolledBack =
          rate(
              then,
              now,
              seconds,
              "txc_global_transactions_total",
              "name",
              name,
              "outcome",
              "rolled_back");
      flows.append(String.format("%s/s %.1f (%.1f rolled back)   ", flow, committed, rolledBack));
    }
    s.append(flows.toString().trim()).append('\n');
    s.append(
        String.format(
            "phases/s  try %.1f  confirm %.1f  cancel %.1f  failed %.1f%n",
            rate(then, now, seconds, "txc_branch_phases_total", "phase", "try"),
            rate(then, now, seconds, "txc_branch_phases_total", "phase", "confirm"),
            rate(then, now, seconds, "txc_branch_phases_total", "phase", "cancel"),
            rate(then, now, seconds, "txc_branch_phases_total", "outcome", "failed")));
    Map<Double, Double> b0 = then.buckets("txc_global_transaction_seconds", x -> true);
    Map<Double, Double> b1 = now.buckets("txc_global_transaction_seconds", x -> true);
    s.append(
        String.format(
            "global tx  p50 %s  p99 %s%n",
            millis(MetricsScrape.quantile(0.5, b0, b1)),
            millis(MetricsScrape.quantile(0.99, b0, b1))));
    TreeSet<String> outboxes = new TreeSet<>();
    now.samples().stream()
        .filter(x -> x.name().equals("txc_outbox_messages"))
        .forEach(x -> outboxes.add(x.label("outbox")));
    for (String outbox : outboxes) {
      s.append(
          String.format(
              "outbox %-8s prepared %.0f  ready %.0f  pending %.0f (oldest %.1f s)  dead %.0f  "
                  + "deliveries/s %.1f  leader %s%n",
              outbox,
              gauge(now, "txc_outbox_messages", outbox, "prepared"),
              gauge(now, "txc_outbox_messages", outbox, "ready"),
              gauge(now, "txc_outbox_messages", outbox, "pending"),
              gauge(now, "txc_outbox_oldest_seconds", outbox, "pending"),
              gauge(now, "txc_outbox_messages", outbox, "dead"),
              rate(
                  then,
                  now,
                  seconds,
                  "txc_outbox_deliveries_total",
                  "outbox",
                  outbox,
                  "outcome",
                  "delivered"),
              leader(after, outbox)));
    }
    double sessions = 0;
    for (MetricsScrape page : after.values()) {
      if (page != null) {
        sessions = Math.max(sessions, page.sum("txc_tc_global_sessions"));
      }
    }
    s.append(
        String.format(
            "tc  sessions %.0f  retrying %.0f  oldest %.1f s%n",
            sessions,
            now.max("txc_tc_global_sessions", x -> x.label("status").endsWith("Retrying")),
            now.max("txc_tc_oldest_session_seconds", x -> true)));
    long up = after.values().stream().filter(p -> p != null).count();
    s.append(String.format("processes  %d up, %d down%n", up, after.size() - up));
    StringBuilder line = new StringBuilder(" ");
    for (Map.Entry<String, MetricsScrape> p : after.entrySet()) {
      String cell = " " + p.getKey() + (p.getValue() == null ? " DOWN" : " up");
      if (line.length() + cell.length() > 100) {
        s.append(line).append('\n');
        line = new StringBuilder(" ");
      }
      line.append(cell);
    }
    s.append(line).append('\n');
    return s.toString();
  }

  /** All processes' samples in one scrape (the down ones contribute nothing). */
  private static MetricsScrape merged(Map<String, MetricsScrape> pages) {
    List<MetricsScrape.Sample> all = new java.util.ArrayList<>();
    pages.values().stream().filter(p -> p != null).forEach(p -> all.addAll(p.samples()));
    return new MetricsScrape(all);
  }

  /**
   * A counter's rate per second between two scrapes, over the series whose labels match {@code
   * keyValues}; a process restarted in between (its counter went down) counts from zero.
   */
  private static double rate(
      MetricsScrape then, MetricsScrape now, double seconds, String name, String... keyValues) {
    java.util.function.Predicate<MetricsScrape.Sample> match =
        x -> {
          for (int i = 0; i < keyValues.length; i += 2) {
            if (!x.label(keyValues[i]).equals(keyValues[i + 1])) {
              return false;
            }
          }
          return true;
        };
    double delta = now.sum(name, match) - then.sum(name, match);
    return Math.max(0, delta) / seconds;
  }

  /** An outbox gauge: the same from every relay, so the largest. */
  private static double gauge(MetricsScrape now, String name, String outbox, String state) {
    return now.max(name, x -> x.label("outbox").equals(outbox) && x.label("state").equals(state));
  }

  private static String leader(Map<String, MetricsScrape> pages, String outbox) {
    List<String> leaders =
        pages.entrySet().stream()
            .filter(
                p ->
                    p.getValue() != null
                        && p.getValue()
                                .max("txc_relay_leader", x -> x.label("outbox").equals(outbox))
                            > 0)
            .map(Map.Entry::getKey)
            .toList();
    return leaders.isEmpty() ? "NONE" : String.join(",", leaders);
  }

  private static String millis(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format("%.0f ms", seconds * 1000);
  }
}
