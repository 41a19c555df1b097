package io.txcenter.fund.api;

/**
 * The event the main purchase appends to the fund outbox (topic {@code fund}, tag {@code
 * DISCOUNT_PURCHASE}) for the secondary purchase: buy {@code targetFund} with the wallet units of
 * purchase {@code purchaseNo}.
 */
public record DiscountPurchase(
    String purchaseNo, String investorId, String targetFund, long amountCents, long walletUnits) {

  public static final String EVENT = "DISCOUNT_PURCHASE";
}
