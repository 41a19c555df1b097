package io.txcenter.fund.api;

/**
 * The main purchase's state: {@code TRIED} while its global transaction runs (cash frozen), {@code
 * CONFIRMED} once the cash became wallet units, {@code CANCELLED} when the transaction rolled back
 * (cash released).
 */
public enum PurchaseStatus {
  TRIED,
  CONFIRMED,
  CANCELLED
}
