package io.txcenter.fund.api;

import java.util.List;

/**
 * The fund company's transaction center: the discount purchase and what investors and operators
 * read. Amounts are cents, units are whole units of a fund, NAVs are cents per unit.
 *
 * <p>Errors: every method throws only {@link FundException}, which changes nothing, or Dubbo's
 * {@code RpcException} for a call that did not reach the service.
 */
public interface FundService {

  /** Largest purchase amount, in cents (10 million). */
  long MAX_AMOUNT = 1_000_000_000L;

  /** Largest opening cash of an investor, in cents. */
  long MAX_OPENING = 100_000_000_000L;

  /**
   * Runs the main purchase as one global transaction: freezes the cash and records the purchase
   * (Try), converts the cash into wallet units (Confirm) or releases it (Cancel), and appends
   * {@link DiscountPurchase} and {@link FundBought} to the fund outbox in the same transaction. The
   * secondary purchase follows through the outbox, exactly once.
   *
   * @return the purchase; {@code duplicate} when {@code purchaseNo} was already used with the same
   *     content (the first outcome, nothing changed)
   * @throws FundException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_INVESTOR}, {@code UNKNOWN_FUND}, {@code FUND_NOT_OPEN}, {@code INSUFFICIENT_CASH},
   *     {@code DUPLICATE_PURCHASE}, {@code SERVICE_UNAVAILABLE}, {@code TRANSACTION_FAILED}
   */
  PurchaseResult buy(PurchaseRequest request) throws FundException;

  /**
   * The purchase {@code purchaseNo}.
   *
   * @throws FundException {@code INVALID_REQUEST}, {@code UNKNOWN_PURCHASE}
   */
  PurchaseResult purchase(String purchaseNo) throws FundException;

  /** Every fund with its NAV and switches. */
  List<FundInfo> funds() throws FundException;

  /**
   * Operator: opens ({@code true}) or closes the fund's subscriptions. A closed target fund makes
   * the secondary purchases of it wait (retried by the relay) until it opens again.
   *
   * @throws FundException {@code INVALID_REQUEST}, {@code UNKNOWN_FUND}
   */
  FundInfo setOpen(String fundCode, boolean open, String reason) throws FundException;

  /**
   * The investor's cash and units.
   *
   * @throws FundException {@code INVALID_REQUEST}, {@code UNKNOWN_INVESTOR}
   */
  InvestorPosition investor(String investorId) throws FundException;

  /**
   * Operator: opens an investor with {@code cashCents} (recorded with the operator and reason); an
   * existing investor is left as it is.
   *
   * @throws FundException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}
   */
  InvestorPosition openInvestor(String investorId, long cashCents, String reason)
      throws FundException;
}
