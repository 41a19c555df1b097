package io.txcenter.tools.cli;

import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.api.PaymentView;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.LocalBank;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The payments part of the demo: two payments the bank confirms (one callback sent twice), one it
 * declines, a forged callback and two bad ones (every callback signed by the local bank, {@link
 * LocalBank}, but the forged one); then each payment's merchant credit, points award, voucher and
 * merchant notification attempts (the merchant stub acknowledges on the third attempt).
 */
final class PaymentDemo {

  private static final String MERCHANT = "m-tea-shop";

  private final TopologyConfig config;
  private final Clients clients;
  private final PrintStream out;
  private final String run;
  private final JdbcTemplate jdbc;

  PaymentDemo(TopologyConfig config, Clients clients, PrintStream out, String run) {
    this.config = config;
    this.clients = clients;
    this.out = out;
    this.run = run;
    this.jdbc = config.serverJdbc();
  }

  void run() {
    String a = config.channels().get(0);
    String b = config.channels().get(1);
    clients.account().open(MERCHANT, 0, "payment demo merchant");
    String tea = create(1, Demo.ALICE, a, 12_000, 120);
    String cake = create(2, Demo.BOB, b, 5_000, 50);
    String declined = create(3, Demo.ALICE, a, 3_000, 30);

    complete("bank confirms", tea, LocalBank.result(tea, "bk-" + run + "-1", true, 12_000, null));
    complete(
        "bank callback repeated",
        tea,
        LocalBank.result(tea, "bk-" + run + "-1", true, 12_000, null));
    // a forged success, signed with a key that is not the bank's: refused, nothing changes
    BankResult forged = BankResult.unsigned(LocalBank.ID, "bk-" + run + "-2", true, 5_000, null);
    complete(
        "forged callback",
        cake,
        forged.withSignature(
            Hmac.sign(Secrets.randomToken(32), BankSignature.canonical(cake, forged))));
    complete("bank confirms", cake, LocalBank.result(cake, "bk-" + run + "-2", true, 5_000, null));
    complete(
        "bank declines",
        declined,
        LocalBank.result(declined, "bk-" + run + "-3", false, 3_000, "card declined"));
    String unknown = "pay-" + run + "-404";
    complete("unknown payment", unknown, LocalBank.result(unknown, "bk-x", true, 1, null));
    complete("amount differs", cake, LocalBank.result(cake, "bk-" + run + "-2", true, 4_999, null));

    awaitNotifications(List.of(tea, cake, declined));
    out.println();
    out.printf(
        "merchant %s balance=%d cents%n", MERCHANT, clients.account().balance(MERCHANT).balance());
    for (String payment : List.of(tea, cake, declined)) {
      PaymentView view = clients.payment().queryPayment(payment);
      out.printf(
          "  %-16s %-6s points awarded=%-4s voucher=%s notification=%s%n",
          payment, view.status(), awarded(view), voucher(payment), notification(payment));
    }
  }

  private String create(int n, long user, String channel, long cents, long points) {
    String paymentNo = "pay-" + run + "-" + n;
    clients
        .payment()
        .createPayment(new CreatePaymentRequest(paymentNo, MERCHANT, user, channel, cents, points));
    return paymentNo;
  }

  private void complete(String label, String paymentNo, BankResult result) {
    String outcome;
    try {
      PaymentView view = clients.payment().completePayment(paymentNo, result);
      outcome =
          view.status()
              + (view.duplicate() ? " duplicate: first outcome returned, nothing changed" : "")
              + "  xid="
              + view.xid();
    } catch (PaymentException e) {
      outcome = "REFUSED " + e.getMessage();
    }
    out.printf("  %-16s %-24s %s%n", paymentNo, label, outcome);
  }

  private void awaitNotifications(List<String> payments) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String sql =
        "SELECT COUNT(*) FROM "
            + config.schema("notify")
            + ".merchant_notify WHERE state = 'ACKED' AND payment_no IN (?, ?, ?)";
    while (System.nanoTime() < deadline
        && Objects.requireNonNull(jdbc.queryForObject(sql, Long.class, payments.toArray())) < 3) {
      try {
        Thread.sleep(200); // the notifier and the merchant stub are other processes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private String awarded(PaymentView view) {
    List<Long> points =
        jdbc.queryForList(
            "SELECT points FROM "
                + config.schemaOfChannel(view.channelId())
                + ".points_credit WHERE biz_no = ? AND status = 'CONFIRMED'",
            Long.class,
            view.paymentNo());
    return points.isEmpty() ? "0" : String.valueOf(points.get(0));
  }

  private String voucher(String paymentNo) {
    String s = config.schemaOfSubscriber("accounting");
    List<Map<String, Object>> lines =
        jdbc.queryForList(
            "SELECT l.account_code, l.amount_cents FROM "
                + s
                + ".voucher v JOIN "
                + s
                + ".voucher_line l ON l.voucher_no = v.voucher_no WHERE v.payment_no = ? ORDER BY"
                + " l.line_no",
            paymentNo);
    if (lines.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> line : lines) {
      text.append(line.get("account_code"))
          .append(' ')
          .append(line.get("amount_cents"))
          .append("; ");
    }
    return "[" + text.substring(0, text.length() - 2) + "]";
  }

  private String notification(String paymentNo) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT state, attempts FROM "
                + config.schema("notify")
                + ".merchant_notify WHERE payment_no = ?",
            paymentNo);
    if (rows.isEmpty()) {
      return "none";
    }
    return rows.get(0).get("state") + " after " + rows.get(0).get("attempts") + " attempts";
  }
}
