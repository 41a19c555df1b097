package io.txcenter.tools.cli;

import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentView;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.LocalBank;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code bin/txc pay create <paymentNo> <merchantId> <userId> <channel> <amountCents> <awardPoints>
 * | complete <paymentNo> <bankTxnNo> success|failed <amountCents> [reason] | query <paymentNo>}.
 * {@code complete} plays the local bank: the result is signed with its secret ({@link LocalBank}).
 */
final class PayCommand {

  private static final String USAGE =
      "usage: bin/txc pay create <paymentNo> <merchantId> <userId> <channel> <amountCents>"
          + " <awardPoints> | complete <paymentNo> <bankTxnNo> success|failed <amountCents>"
          + " [reason] | query <paymentNo>";

  private final TopologyConfig config;
  private final PrintStream out;

  PayCommand(TopologyConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  int run(List<String> args) {
    if (args.isEmpty()) {
      throw new CliException(USAGE);
    }
    try (Clients clients = new Clients(config)) {
      PaymentView view =
          switch (args.get(0)) {
            case "create" -> {
              require(args, 7, 7);
              yield clients
                  .payment()
                  .createPayment(
                      new CreatePaymentRequest(
                          args.get(1),
                          args.get(2),
                          number(args.get(3)),
                          args.get(4),
                          number(args.get(5)),
                          number(args.get(6))));
            }
            case "complete" -> {
              require(args, 5, 6);
              String outcome = args.get(3);
              if (!outcome.equals("success") && !outcome.equals("failed")) {
                throw new CliException(
                    "bank outcome must be success or failed, was [" + outcome + "]");
              }
              yield clients
                  .payment()
                  .completePayment(
                      args.get(1),
                      LocalBank.result(
                          args.get(1),
                          args.get(2),
                          outcome.equals("success"),
                          number(args.get(4)),
                          args.size() == 6 ? args.get(5) : null));
            }
            case "query" -> {
              require(args, 2, 2);
              yield clients.payment().queryPayment(args.get(1));
            }
            default -> throw new CliException(USAGE);
          };
      out.println(view);
      return 0;
    }
  }

  private static void require(List<String> args, int min, int max) {
    if (args.size() < min || args.size() > max) {
      throw new CliException(USAGE);
    }
  }

  private static long number(String text) {
    if (!text.matches("-?\\d{1,18}")) {
      throw new CliException("expected a number, was [" + text + "]\n" + USAGE);
    }
    return Long.parseLong(text);
  }
}
