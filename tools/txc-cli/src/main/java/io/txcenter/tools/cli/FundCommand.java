package io.txcenter.tools.cli;

import io.txcenter.fund.api.FundInfo;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.InvestorPosition;
import io.txcenter.fund.api.PurchaseRequest;
import io.txcenter.fund.api.PurchaseResult;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/txc fund buy <purchaseNo> <investorId> <targetFund> <amountCents> | show <purchaseNo>
 * | close <fund> [--reason R] | open <fund> [--reason R] | investor <investorId> | open-investor
 * <investorId> <cashCents> [--reason R] | funds}: the fund company's discount purchase, as its
 * operator sees it. A refusal of the service ({@code FundException}) reaches {@link Txc#main},
 * which prints its code and message and exits 1.
 */
final class FundCommand {

  private static final String USAGE =
      "usage: bin/txc fund buy <purchaseNo> <investorId> <targetFund> <amountCents>"
          + " | show <purchaseNo> | close <fund> [--reason R] | open <fund> [--reason R]"
          + " | investor <investorId> | open-investor <investorId> <cashCents> [--reason R]"
          + " | funds";

  private final TopologyConfig config;
  private final PrintStream out;

  FundCommand(TopologyConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  int run(List<String> args, Map<String, String> options) {
    if (args.isEmpty()) {
      throw new CliException(USAGE);
    }
    String verb = args.get(0);
    // checked before connecting: a malformed command never reaches the service
    switch (verb) {
      case "buy" -> {
        require(args, 5);
        amount(args.get(4));
      }
      case "show", "close", "open", "investor" -> require(args, 2);
      case "open-investor" -> {
        require(args, 3);
        amount(args.get(2));
      }
      case "funds" -> require(args, 1);
      default -> throw new CliException("unknown fund command [" + verb + "]\n" + USAGE);
    }
    if (options.containsKey("reason")
        && !verb.equals("close")
        && !verb.equals("open")
        && !verb.equals("open-investor")) {
      throw new CliException("--reason is for fund close|open|open-investor only\n" + USAGE);
    }
    String reason = options.getOrDefault("reason", "bin/txc fund " + verb);
    if (reason.isBlank()) {
      throw new CliException("--reason must not be blank\n" + USAGE);
    }
    try (Clients clients = new Clients(config)) {
      FundService fund = clients.reference(FundService.class, null);
      switch (verb) {
        case "buy" ->
            out.println(
                line(
                    fund.buy(
                        new PurchaseRequest(
                            args.get(1), args.get(2), args.get(3), amount(args.get(4))))));
        case "show" -> out.println(line(fund.purchase(args.get(1))));
        case "close" -> out.println(line(fund.setOpen(args.get(1), false, reason)));
        case "open" -> out.println(line(fund.setOpen(args.get(1), true, reason)));
        case "investor" -> out.println(line(fund.investor(args.get(1))));
        case "open-investor" ->
            out.println(line(fund.openInvestor(args.get(1), amount(args.get(2)), reason)));
        default -> fund.funds().forEach(f -> out.println(line(f)));
      }
      return 0;
    }
  }

  /** One line per purchase: the main purchase, the secondary and what each bought. */
  static String line(PurchaseResult p) {
    return String.format(
        "%s investor=%s fund=%s status=%s secondary=%s amount=%d walletUnits=%d targetUnits=%d"
            + " walletUnitsRedeemed=%d fee=%d xid=%s%s",
        p.purchaseNo(),
        p.investorId(),
        p.targetFund(),
        p.status(),
        p.secondary(),
        p.amountCents(),
        p.walletUnits(),
        p.targetUnits(),
        p.walletUnitsRedeemed(),
        p.feeCents(),
        p.xid(),
        p.duplicate() ? " duplicate (this purchase as recorded, nothing changed)" : "");
  }

  static String line(FundInfo f) {
    return String.format(
        "%-10s kind=%-6s nav=%d cents/unit onSale=%s open=%s",
        f.fundCode(), f.kind(), f.navCents(), f.onSale(), f.open());
  }

  static String line(InvestorPosition p) {
    return String.format(
        "investor=%s cash=%d frozen=%d opening=%d units=%s",
        p.investorId(),
        p.cashCents(),
        p.frozenCents(),
        p.openingCents(),
        p.units() == null ? "{}" : new TreeMap<>(p.units()));
  }

  private static void require(List<String> args, int size) {
    if (args.size() != size) {
      throw new CliException(USAGE);
    }
  }

  private static long amount(String text) {
    if (!text.matches("\\d{1,18}")) {
      throw new CliException("an amount must be a whole number of cents, was [" + text + "]");
    }
    return Long.parseLong(text);
  }
}
