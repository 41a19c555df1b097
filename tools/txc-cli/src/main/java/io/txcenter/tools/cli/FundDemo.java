package io.txcenter.tools.cli;

import io.txcenter.fund.api.FundException;
import io.txcenter.fund.api.FundInfo;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.InvestorPosition;
import io.txcenter.fund.api.PurchaseRequest;
import io.txcenter.fund.api.PurchaseResult;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.fund.api.SecondaryStatus;
import io.txcenter.outbox.DeadLetters;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fund part of the demo: two investors opened by the operator; (a) a discount purchase of
 * FUND-A whose secondary follows through the fund outbox, then the same purchase sent again; (b) a
 * purchase of FUND-B while it is closed: the main purchase commits, the secondary is refused and
 * retried by the relay until the operator reopens the fund (re-driven from the DLQ if the ladder
 * ran out meanwhile); (c) a purchase refused for lack of cash.
 */
final class FundDemo {

  /** The consumer group of the secondary purchase (the fund service's own subscription). */
  static final String SECONDARY_GROUP = "fund-secondary";

  private static final Duration BOUND = Duration.ofSeconds(60);

  private final TopologyConfig config;
  private final PrintStream out;
  private final String run;
  private final FundService fund;
  private final JdbcTemplate jdbc;
  private final DeadLetters deadLetters;

  FundDemo(TopologyConfig config, Clients clients, PrintStream out, String run) {
    this.config = config;
    this.out = out;
    this.run = run;
    this.fund = clients.reference(FundService.class, null);
    this.jdbc = config.serverJdbc();
    this.deadLetters = DlqCommand.deadLetters(config, "fund");
  }

  void run() {
    String rich = "inv-" + run + "-a";
    String poor = "inv-" + run + "-b";
    fund.openInvestor(rich, 100_000, "demo seed");
    fund.openInvestor(poor, 5_000, "demo seed");
    out.printf("opened investors: %s cash=100000, %s cash=5000 (cents)%n", rich, poor);
    out.println("funds:");
    for (FundInfo f : fund.funds()) {
      out.println("  " + FundCommand.line(f));
    }

    out.println();
    out.println("(a) a discount purchase of FUND-A:");
    PurchaseRequest a = new PurchaseRequest("fp-" + run + "-1", rich, "FUND-A", 12_345);
    if (buy("buy FUND-A", a) != null) {
      show("secondary", await(a.purchaseNo(), p -> p.secondary() == SecondaryStatus.DONE));
      InvestorPosition before = fund.investor(rich);
      out.println("  " + FundCommand.line(before));
      buy("the same purchase, sent again", a);
      InvestorPosition after = fund.investor(rich);
      out.println(
          "  "
              + FundCommand.line(after)
              + (after.equals(before) ? " (unchanged)" : " (CHANGED by a repeated purchase)"));
    }

    out.println();
    out.println("(b) FUND-B closed, then reopened:");
    closedThenReopened(rich);

    out.println();
    out.println("(c) a purchase refused for cash:");
    InvestorPosition before = fund.investor(poor);
    buy("buy beyond the cash", new PurchaseRequest("fp-" + run + "-3", poor, "FUND-A", 6_000));
    InvestorPosition after = fund.investor(poor);
    out.printf(
        "  %s cash before=%d after=%d frozen=%d (%s)%n",
        poor,
        before.cashCents(),
        after.cashCents(),
        after.frozenCents(),
        after.equals(before) ? "unchanged" : "CHANGED by a refused purchase");
  }

  private void closedThenReopened(String investor) {
    show("close", fund.setOpen("FUND-B", false, "demo: subscriptions paused"));
    PurchaseRequest b = new PurchaseRequest("fp-" + run + "-2", investor, "FUND-B", 20_000);
    try {
      if (buy("buy FUND-B while closed", b) == null) {
        return;
      }
      // the main purchase committed; the secondary waits, refused on every delivery attempt
      PurchaseResult waiting =
          await(
              b.purchaseNo(),
              p ->
                  p.status() == PurchaseStatus.CANCELLED
                      || p.secondary() == SecondaryStatus.DONE
                      || (p.status() == PurchaseStatus.CONFIRMED
                          && p.secondary() == SecondaryStatus.PENDING
                          && attempts(p.purchaseNo()) >= 2));
      show("waiting", waiting);
      Map<String, Object> d = delivery(b.purchaseNo());
      out.printf(
          "  retries visible: %s attempts, last error: %s%n",
          d == null ? 0 : d.get("attempts"), d == null ? "none" : d.get("last_error"));
    } finally {
      show("reopen", fund.setOpen("FUND-B", true, "demo: subscriptions resumed"));
    }
    show("secondary", awaitDone(b.purchaseNo()));
    Map<String, Object> d = delivery(b.purchaseNo());
    if (d != null) {
      out.printf(
          "  delivery to %s: %s after %s attempts%n",
          SECONDARY_GROUP, d.get("status"), d.get("attempts"));
    }
  }

  /**
   * Waits for the secondary to be done; a delivery that ran out of its retry ladder while the fund
   * was closed (DEAD) is re-driven from the fund outbox's DLQ, as an operator would.
   */
  private PurchaseResult awaitDone(String purchaseNo) {
    return await(
        purchaseNo,
        p -> {
          if (p.secondary() == SecondaryStatus.DONE) {
            return true;
          }
          for (Map<String, Object> dead : deadLetters.open()) {
            if (SECONDARY_GROUP.equals(dead.get("consumer_group"))
                && purchaseNo.equals(dead.get("business_key"))) {
              long id = ((Number) dead.get("id")).longValue();
              if (deadLetters.redrive(id)) {
                out.printf(
                    "  the delivery went to the DLQ after %s attempts; re-driven dead letter"
                        + " id=%d (outbox fund)%n",
                    dead.get("attempts"), id);
              }
            }
          }
          return false;
        });
  }

  /** Buys and prints the outcome; null when the service refused. */
  private PurchaseResult buy(String label, PurchaseRequest request) {
    try {
      PurchaseResult result = fund.buy(request);
      show(label, result);
      return result;
    } catch (FundException e) {
      String prefix = e.code() + ": ";
      String message = e.getMessage();
      out.printf(
          "  %-30s REFUSED %s %s%n",
          label,
          e.code(),
          message != null && message.startsWith(prefix)
              ? message.substring(prefix.length())
              : message);
      return null;
    }
  }

  private void show(String label, PurchaseResult p) {
    out.printf("  %-30s %s%n", label, FundCommand.line(p));
  }

  private void show(String label, FundInfo f) {
    out.printf("  %-30s %s%n", label, FundCommand.line(f));
  }

  /**
   * Polls the purchase until {@code done} holds or {@link #BOUND} passes; returns the last read.
   */
  private PurchaseResult await(String purchaseNo, Predicate<PurchaseResult> done) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    PurchaseResult p = fund.purchase(purchaseNo);
    while (!done.test(p)) {
      if (System.nanoTime() >= deadline) {
        out.println("  (still waiting after " + BOUND.toSeconds() + " s)");
        return p;
      }
      try {
        Thread.sleep(200); // the relay and the secondary consumer are other processes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return p;
      }
      p = fund.purchase(purchaseNo);
    }
    return p;
  }

  private long attempts(String purchaseNo) {
    Map<String, Object> d = delivery(purchaseNo);
    return d == null ? 0 : ((Number) d.get("attempts")).longValue();
  }

  /** The delivery of the purchase's DISCOUNT_PURCHASE to the secondary consumer, if fanned out. */
  private Map<String, Object> delivery(String purchaseNo) {
    String f = config.schema("fund");
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT d.status, d.attempts, d.last_error FROM "
                + f
                + ".outbox_delivery d JOIN "
                + f
                + ".outbox_message m ON m.id = d.message_pk WHERE d.consumer_group = ? AND"
                + " m.business_key = ? ORDER BY d.message_pk",
            SECONDARY_GROUP,
            purchaseNo);
    return rows.isEmpty() ? null : rows.get(0);
  }
}
