package io.txcenter.fund.api;

/**
 * The secondary purchase's state: {@code NONE} for a main purchase that is not confirmed, {@code
 * PENDING} until the target fund is bought with the wallet units, {@code DONE} after.
 */
public enum SecondaryStatus {
  NONE,
  PENDING,
  DONE
}
