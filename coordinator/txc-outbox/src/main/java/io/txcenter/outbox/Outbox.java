package io.txcenter.outbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.kit.Echo;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.Settings;
import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.kit.validation.Ids;
import io.txcenter.outbox.api.OutboxErrorCode;
import io.txcenter.outbox.api.OutboxException;
import io.txcenter.outbox.api.OutboxMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.seata.rm.tcc.api.BusinessActionContext;

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

  /** The setting that replaces an outbox's default topics: {@code <topic>:<TAG>|<TAG>…;…}. */
  public static final String TOPICS_SETTING = "txc.outbox.topics";

  /** The branch store's mapper XML, the only outbox mapper an initiator loads. */
  public static final String BRANCH_STORE = "mapper/OutboxMapper.xml";

  private final String name;
  private final OutboxAppendAction append;
  private final Topics topics;
  private final Map<String, String> headers;
  private final OutboxMapper store;

  /**
   * {@code append} must be Seata's TCC proxy of an {@link OutboxAppendTcc}; {@code name} is the
   * outbox's name, sent as header {@code source} by {@link #publish}. An outbox built this way has
   * no branch store of its own: {@link #prepareInBranch} and {@link #settleInBranch} refuse.
   */
  public Outbox(String name, OutboxAppendAction append, Topics topics) {
    this(name, append, topics, null);
  }

  /**
   * As {@link #Outbox(String, OutboxAppendAction, Topics)}, with the branch store {@code store}
   * that {@link #prepareInBranch} and {@link #settleInBranch} write through. {@link #install} wires
   * it.
   */
  public Outbox(String name, OutboxAppendAction append, Topics topics, OutboxMapper store) {
    this.name = name;
    this.append = append;
    this.topics = topics;
    this.headers = Map.of("source", name);
    this.store = store;
  }

  /**
   * Installs the outbox of an initiator on its runtime, at start-up (before its Dubbo node starts):
   * applies the {@code outbox} DDL set to the runtime's schema, registers the branch store ({@link
   * OutboxMapper}) with its MyBatis session, creates Seata's TCC proxy of the append branch (which
   * registers the {@code outboxAppend} resource), and parses the topics: {@value #TOPICS_SETTING}
   * if set, else {@code defaultTopics}. {@code name} is the outbox's name: the relay's leader path,
   * the Dubbo group under which the owner exports its {@link io.txcenter.outbox.api.OutboxCheck}
   * (the owner's main does that, with its other exports), and the {@code source} header of
   * published events.
   *
   * @throws Settings.SettingException when the topics are malformed
   */
  public static Outbox install(ParticipantRuntime runtime, String name, String defaultTopics) {
    String text = Settings.string(TOPICS_SETTING, defaultTopics);
    Topics topics;
    try {
      topics = Topics.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingException(TOPICS_SETTING, e.getMessage(), text);
    }
    runtime.extend(List.of("outbox"), BRANCH_STORE);
    OutboxMapper store = runtime.mapper(OutboxMapper.class);
    OutboxAppendAction append = ParticipantRuntime.tccProxy(new OutboxAppendTcc(store));
    return new Outbox(name, append, topics, store);
  }

  public String name() {
    return name;
  }

  /**
   * The messages of {@code events} of one business operation, keyed {@code businessKey}, each with
   * the header {@code source} = this outbox's name, validated as {@link #append} validates them:
   * for an initiator whose own TCC action writes them ({@link #prepareInBranch}), built and checked
   * before its Try so a bad event is refused before anything is written.
   *
   * @throws OutboxException {@code UNKNOWN_TOPIC}, {@code UNKNOWN_TAG}, {@code MALFORMED_PAYLOAD},
   *     {@code INVALID_MESSAGE}
   */
  public List<OutboxMessage> messages(String businessKey, List<EventType.Event<?>> events) {
    List<OutboxMessage> messages = messagesOf(businessKey, events);
    messages.forEach(this::validate);
    return List.copyOf(messages);
  }

  /**
   * Writes {@code messages} (from {@link #messages}) PREPARED as part of the caller's own branch:
   * called inside a TCC action's Try, with that Try's context, in its local transaction (the
   * fence's). The action's Confirm and Cancel must call {@link #settleInBranch} with their context.
   * One branch then carries the business row and its events: one Try, one Confirm, one fence row,
   * one registration at the TC fewer than {@link #publish} (issue 16, lever 1). The relay's
   * check-back and the audit see the same rows either way: they key on the XID.
   */
  public void prepareInBranch(BusinessActionContext tryContext, List<OutboxMessage> messages) {
    OutboxAppendTcc.prepare(
        requireStore(), tryContext.getXid(), tryContext.getBranchId(), messages);
  }

  /**
   * Settles the messages {@link #prepareInBranch} wrote under {@code context}'s branch: READY in
   * Confirm, DISCARDED in Cancel, in the phase's local transaction; idempotent. Returns how many
   * changed.
   */
  public int settleInBranch(BusinessActionContext context, TccBranch.Phase phase) {
    return OutboxAppendTcc.settle(requireStore(), context.getXid(), context.getBranchId(), phase);
  }

  private OutboxMapper requireStore() {
    if (store == null) {
      throw new IllegalStateException("outbox " + name + " has no branch store (see install)");
    }
    return store;
  }

  /**
   * Appends {@code events} of one business operation, keyed {@code businessKey}, as one branch of
   * the current global transaction, in order, each with the header {@code source} = this outbox's
   * name; each payload is its event's JSON ({@link EventType}).
   *
   * @throws OutboxException as {@link #append}
   */
  public void publish(String businessKey, List<EventType.Event<?>> events) {
    append(messagesOf(businessKey, events));
  }

  private List<OutboxMessage> messagesOf(String businessKey, List<EventType.Event<?>> events) {
    if (events == null || events.isEmpty()) {
      throw new OutboxException(OutboxErrorCode.INVALID_MESSAGE, "no events to publish");
    }
    List<OutboxMessage> messages = new ArrayList<>(events.size());
    for (EventType.Event<?> event : events) {
      if (event == null) {
        throw new OutboxException(OutboxErrorCode.INVALID_MESSAGE, "event must not be null");
      }
      messages.add(event.message(businessKey, headers));
    }
    return messages;
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
