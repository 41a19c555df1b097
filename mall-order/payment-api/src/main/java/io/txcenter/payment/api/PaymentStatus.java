package io.txcenter.payment.api;

/** Lifecycle of a payment order. */
public enum PaymentStatus {
  CREATED,
  PROCESSING,
  PAID,
  FAILED
}
