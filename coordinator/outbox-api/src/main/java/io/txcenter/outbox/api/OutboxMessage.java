package io.txcenter.outbox.api;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** A message to append: topic, one or more tags, business key, JSON object payload, headers. */
public record OutboxMessage(
    String topic,
    List<String> tags,
    String businessKey,
    String payload,
    Map<String, String> headers)
    implements Serializable {}
