package io.txcenter.tools.cli;

import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsException;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo scenario on a running topology: seeds quota and points, places orders that succeed, fail
 * for lack of points, fail for lack of quota, repeat an order number and carry bad input, and
 * prints each outcome and the balances before and after.
 */
public final class Demo {

  static final long ALICE = 1001;
  static final long BOB = 1002;

  private final TopologyConfig config;
  private final Clients clients;
  private final PrintStream out;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

  private final FanOutView fanOut;

  public Demo(TopologyConfig config, Clients clients, PrintStream out) {
    this.config = config;
    this.clients = clients;
    this.out = out;
    this.fanOut = new FanOutView(config, out);
  }

  public void run() {
    String a = config.channels().get(0);
    String b = config.channels().get(1);
    seed(a, b);
    out.println();
    out.println("balances before:");
    printBalances();

    out.println();
    out.println("orders:");
    String first = order("alice pays with two channels", ALICE, line(a, 300), line(b, 200));
    order("bob pays with one channel", BOB, line(a, 150));
    order("bob is short of points in " + b, BOB, line(a, 100), line(b, 300));
    order("alice exceeds the quota left to " + b, ALICE, line(b, 450));
    repeat("alice's first order, sent again", first, ALICE, line(a, 300), line(b, 200));
    order("negative points", ALICE, line(a, -5));
    order("unknown channel", ALICE, line("ch-zz", 10));
    order("alice uses the rest of " + b + "'s quota", ALICE, line(b, 400));
    String poison = "demo-" + run + "-poison";
    fanOut.block("orch", poison, "orchestration has no route for this order (demo poison)");
    place("an order whose event orchestration refuses", poison, ALICE, line(a, 10));

    out.println();
    out.println("balances after:");
    printBalances();

    out.println();
    out.println("accompaniment fan-out (topic accompaniment; which group got which event):");
    fanOut.awaitSettled(Duration.ofSeconds(60));
    fanOut.print("demo-" + run + "-");
    out.println();
    out.println("dead-letter queue:");
    fanOut.printDeadLetters();
    out.println();
    out.println("fix: orchestration unblocks " + poison + "; operator re-drives the DLQ");
    fanOut.unblock("orch", poison);
    out.printf("  re-driven %d dead letters%n", fanOut.redriveAll());
    fanOut.awaitSettled(Duration.ofSeconds(60));
    fanOut.print(poison);
    fanOut.printDeadLetters();
    out.println();
    fanOut.printCounters("demo-" + run + "-");

    out.println();
    out.println("payments (merchant credit, points award, voucher, notification):");
    new PaymentDemo(config, clients, out, run).run();

    out.println();
    out.println("fund discount purchases (main purchase, outbox, secondary):");
    new FundDemo(config, clients, out, run).run();
  }

  private void seed(String a, String b) {
    clients.portal().grant(a, 10_000, "demo seed");
    clients.portal().grant(b, 600, "demo seed");
    clients.points(a).grant(a, ALICE, 5_000, "demo seed");
    clients.points(b).grant(b, ALICE, 3_000, "demo seed");
    clients.points(a).grant(a, BOB, 1_000, "demo seed");
    clients.points(b).grant(b, BOB, 100, "demo seed");
    out.printf(
        "seeded: quota %s=10000 %s=600; alice %s=5000 %s=3000; bob %s=1000 %s=100%n",
        a, b, a, b, a, b);
  }

  private static OrderLine line(String channel, long points) {
    return new OrderLine(channel, points);
  }

  private String order(String label, long user, OrderLine... lines) {
    String orderNo = "demo-" + run + "-" + (orderCounter++);
    place(label, orderNo, user, lines);
    return orderNo;
  }

  private int orderCounter = 1;

  private void repeat(String label, String orderNo, long user, OrderLine... lines) {
    place(label, orderNo, user, lines);
  }

  private void place(String label, String orderNo, long user, OrderLine... lines) {
    String outcome;
    try {
      OrderResult result =
          clients.mall().placeOrder(new PlaceOrderRequest(orderNo, user, List.of(lines)));
      outcome =
          result.status()
              + (result.rejectCode() == null ? "" : " (" + result.rejectCode() + ")")
              + (result.duplicate() ? " duplicate: first outcome returned, nothing changed" : "")
              + "  xid="
              + result.xid();
    } catch (MallException e) {
      outcome = "REFUSED " + e.getMessage();
    }
    out.printf("  %-16s %-45s %s%n", orderNo, label, outcome);
  }

  private void printBalances() {
    List<String> rows = new ArrayList<>();
    for (ChannelQuota quota : clients.portal().quotas()) {
      rows.add(
          String.format(
              "  quota  %-6s granted=%-6d available=%-6d frozen=%-4d used=%d",
              quota.channelId(), quota.granted(), quota.available(), quota.frozen(), quota.used()));
    }
    for (String channel : config.channels()) {
      for (long user : List.of(ALICE, BOB)) {
        try {
          PointsBalance p = clients.points(channel).balance(channel, user);
          rows.add(
              String.format(
                  "  points %-6s user=%d available=%-6d frozen=%-4d spent=%d",
                  channel, user, p.available(), p.frozen(), p.spent()));
        } catch (PointsException e) {
          rows.add("  points " + channel + " user=" + user + " " + e.code());
        }
      }
    }
    rows.forEach(out::println);
  }
}
