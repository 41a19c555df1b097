package io.txcenter.fund.api;

import java.io.Serializable;

/**
 * A purchase as the investor sees it. {@code walletUnits} the main purchase bought (the
 * money-market fund), {@code targetUnits} the secondary bought and {@code walletUnitsRedeemed} it
 * paid with (the rest stays in the wallet), {@code feeCents} the discount fee (zero). {@code
 * duplicate}: this call repeated an earlier one and changed nothing.
 */
public record PurchaseResult(
    String purchaseNo,
    String investorId,
    String targetFund,
    long amountCents,
    PurchaseStatus status,
    SecondaryStatus secondary,
    long walletUnits,
    long targetUnits,
    long walletUnitsRedeemed,
    long feeCents,
    String xid,
    boolean duplicate)
    implements Serializable {}
