package io.txcenter.fund.api;

import java.io.Serializable;

/**
 * A discount purchase: {@code amountCents} of the investor's cash buys the wallet (money-market)
 * fund now, and that holding buys {@code targetFund} at the discount fee once the main purchase has
 * committed. {@code purchaseNo} is the idempotency key: the same number with the same content
 * answers the first outcome, with other content is refused.
 */
public record PurchaseRequest(
    String purchaseNo, String investorId, String targetFund, long amountCents)
    implements Serializable {}
