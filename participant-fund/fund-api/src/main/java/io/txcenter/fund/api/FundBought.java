package io.txcenter.fund.api;

/**
 * The accompaniment event of a discount purchase (topic {@code accompaniment}, tags {@code OPS},
 * {@code CS}, {@code ORCH}): operations, customer service and orchestration see it, so compliance
 * ({@code OPS || ORCH}) and the data center ({@code *}) do too.
 */
public record FundBought(
    String purchaseNo, String investorId, String targetFund, long amountCents) {

  public static final String EVENT = "FUND_BOUGHT";
}
