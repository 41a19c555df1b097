package io.txcenter.outbox.api;

import java.io.Serializable;
import java.util.Map;

/**
 * An outbox message as delivered to a consumer group. {@code messageId} is unique and stable across
 * redeliveries; {@code tags} holds one or more tags joined by {@code ,}; {@code readyAt} is the
 * epoch millisecond its global transaction's Confirm made it visible.
 */
public record EventMessage(
    String messageId,
    String topic,
    String tags,
    String businessKey,
    String payload,
    Map<String, String> headers,
    long readyAt,
    int attempt)
    implements Serializable {}
