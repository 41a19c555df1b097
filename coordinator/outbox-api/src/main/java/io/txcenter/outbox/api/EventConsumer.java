package io.txcenter.outbox.api;

/**
 * A subscriber of outbox topics, exported over Dubbo under the group named by its consumer group.
 * Delivery is at least once: the same {@link EventMessage#messageId()} may arrive again (a retry, a
 * relay fail-over) and must then be acknowledged without a second effect.
 */
public interface EventConsumer {

  /**
   * Applies one message. Returning normally acknowledges it; throwing makes the relay retry it on
   * its backoff ladder and, once the ladder is exhausted, move it to the dead-letter queue.
   *
   * @throws ConsumerException the message was not applied; {@code code} says why. A message the
   *     relay would never send (see {@link EventMessageCheck#requireWellFormed}) is {@code
   *     REJECTED} before anything is read or written.
   */
  void consume(EventMessage message) throws ConsumerException;
}
