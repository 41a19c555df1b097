package io.txcenter.outbox;

/** Lifecycle of an outbox message: the half message, then visible or discarded. */
public enum OutboxStatus {
  PREPARED,
  READY,
  DISCARDED
}
