package io.txcenter.fund.api;

import java.io.Serializable;

/**
 * A fund: {@code kind} {@code WALLET} (the money-market fund the main purchase buys) or {@code
 * TARGET}; {@code navCents} its net asset value in cents per unit (an integer: no floating point);
 * {@code onSale} whether it can be bought at all; {@code open} the operator's switch for
 * subscriptions (a closed target fund makes the secondary purchase wait).
 */
public record FundInfo(String fundCode, String kind, long navCents, boolean onSale, boolean open)
    implements Serializable {}
