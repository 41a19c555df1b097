package io.txcenter.outbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.kit.Echo;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.validation.Ids;
import io.txcenter.outbox.api.OutboxErrorCode;
import io.txcenter.outbox.api.OutboxException;
import io.txcenter.outbox.api.OutboxMessage;
import java.io.IOException;
import java.util.List;

/**
 * The outbox of one initiator: {@link #append} writes messages as a branch of the caller's global
 * transaction, so they become visible to subscribers if and only if that transaction commits.
 * Requires the initiator's schema to hold the {@code outbox} DDL set and Seata's fence.
 */
public final class Outbox {

  /** Largest payload accepted, in characters. */
  public static final int MAX_PAYLOAD = 16_384;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final OutboxAppendAction append;
  private final Topics topics;

  /** {@code append} must be Seata's TCC proxy of an {@link OutboxAppendTcc}. */
  public Outbox(OutboxAppendAction append, Topics topics) {
    this.append = append;
    this.topics = topics;
  }

  /**
   * Appends {@code messages} inside the current global transaction.
   *
   * @throws OutboxException {@code UNKNOWN_TOPIC}, {@code UNKNOWN_TAG}, {@code MALFORMED_PAYLOAD},
   *     {@code INVALID_MESSAGE} before anything is written; {@code NO_GLOBAL_TRANSACTION} outside
   *     one; {@code BRANCH_SUSPENDED} when the branch was already cancelled
   */
  public void append(List<OutboxMessage> messages) {
    if (messages == null || messages.isEmpty()) {
      throw new OutboxException(OutboxErrorCode.INVALID_MESSAGE, "no messages to append");
    }
    messages.forEach(this::validate);
    if (ParticipantRuntime.currentXid() == null) {
      throw new OutboxException(
          OutboxErrorCode.NO_GLOBAL_TRANSACTION, "append must run inside a global transaction");
    }
    try {
      append.tryAppend(null, List.copyOf(messages));
    } catch (RuntimeException e) {
      if (FenceErrors.isSuspended(e)) {
        throw new OutboxException(OutboxErrorCode.BRANCH_SUSPENDED, "branch already cancelled");
      }
      throw e;
    }
  }

  void validate(OutboxMessage message) {
    if (message == null) {
      throw new OutboxException(OutboxErrorCode.INVALID_MESSAGE, "message must not be null");
    }
    if (message.topic() == null || !topics.knows(message.topic())) {
      throw new OutboxException(
          OutboxErrorCode.UNKNOWN_TOPIC,
          "no topic [" + Echo.cut(message.topic()) + "] in this outbox");
    }
    if (message.tags() == null || message.tags().isEmpty()) {
      throw new OutboxException(OutboxErrorCode.UNKNOWN_TAG, "a message needs at least one tag");
    }
    for (String tag : message.tags()) {
      if (tag == null || !topics.accepts(message.topic(), tag)) {
        throw new OutboxException(
            OutboxErrorCode.UNKNOWN_TAG,
            "topic [" + Echo.cut(message.topic()) + "] has no tag [" + Echo.cut(tag) + "]");
      }
    }
    if (!Ids.isKey(message.businessKey())) {
      throw new OutboxException(
          OutboxErrorCode.INVALID_MESSAGE,
          "'businessKey' must match "
              + Ids.KEY
              + ", was ["
              + Echo.cut(message.businessKey())
              + "]");
    }
    String payload = message.payload();
    if (payload == null || payload.length() > MAX_PAYLOAD) {
      throw new OutboxException(
          OutboxErrorCode.MALFORMED_PAYLOAD,
          "payload must be a JSON object of at most " + MAX_PAYLOAD + " characters");
    }
    try {
      JsonNode node = JSON.readTree(payload);
      if (node == null || !node.isObject()) {
        throw new OutboxException(
            OutboxErrorCode.MALFORMED_PAYLOAD,
            "payload must be a JSON object, was [" + Echo.cut(payload) + "]");
      }
    } catch (IOException e) {
      throw new OutboxException(
          OutboxErrorCode.MALFORMED_PAYLOAD, "payload is not JSON: [" + Echo.cut(payload) + "]");
    }
  }
}
