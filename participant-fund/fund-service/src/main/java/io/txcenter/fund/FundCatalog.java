package io.txcenter.fund;

import io.txcenter.fund.api.DiscountPurchase;
import io.txcenter.fund.api.FundBought;
import io.txcenter.outbox.EventType;

/** The fund service's names: its wallet fund, its outbox, its events and its consumer group. */
public final class FundCatalog {

  /** The wallet: the money-market fund the main purchase buys (NAV 1 cent per unit). */
  public static final String WALLET = "MMF-WALLET";

  /** The outbox name: its relays' leader path and the Dubbo group of its business check. */
  public static final String OUTBOX = "fund";

  /** The outbox's topics and tags ({@code Outbox.install}). */
  public static final String TOPICS = "fund:DISCOUNT_PURCHASE;accompaniment:OPS|CS|ORCH";

  /** The consumer group of the secondary purchase. */
  public static final String SECONDARY_GROUP = "fund-secondary";

  public static final EventType<DiscountPurchase> DISCOUNT_PURCHASE =
      EventType.of(DiscountPurchase.EVENT, DiscountPurchase.class, "fund", DiscountPurchase.EVENT);

  public static final EventType<FundBought> FUND_BOUGHT =
      EventType.of(FundBought.EVENT, FundBought.class, "accompaniment", "OPS", "CS", "ORCH");

  private FundCatalog() {}
}
