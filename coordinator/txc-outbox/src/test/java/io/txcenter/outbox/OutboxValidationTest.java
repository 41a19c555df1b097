package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.txcenter.outbox.api.OutboxErrorCode;
import io.txcenter.outbox.api.OutboxException;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.seata.common.exception.FrameworkErrorCode;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.integration.tx.api.fence.exception.CommonFenceException;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboxValidationTest {

  private static final String TOPIC = "accompaniment";
  private static final String OBJECT = "{\"order\":\"o-1\",\"points\":50}";

  private final Outbox outbox = new Outbox("test", null, Topics.parse("accompaniment:OPS|CS|ORCH"));

  @AfterEach
  void leaveTheGlobalTransaction() {
    RootContext.unbind();
  }

  @Test
  void givenAHugeTopicTagOrKey_theRefusalQuotesAtMost64CharactersOfEach() {
    String huge = "x".repeat(10_000);
    List<OutboxMessage> hostile =
        List.of(
            new OutboxMessage(huge, List.of("OPS"), "order-1", OBJECT, Map.of()),
            new OutboxMessage(TOPIC, List.of(huge), "order-1", OBJECT, Map.of()),
            new OutboxMessage(TOPIC, List.of("OPS"), huge, OBJECT, Map.of()));
    for (OutboxMessage message : hostile) {
      assertThatThrownBy(() -> outbox.validate(message))
          .isInstanceOf(OutboxException.class)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200).contains("x…"));
    }
  }

  @Test
  void givenWellFormedMessage_validate_acceptsIt() {
    assertThatCode(() -> outbox.validate(message(List.of("OPS", "CS"), "order-1_A", OBJECT)))
        .doesNotThrowAnyException();
    assertThatCode(() -> outbox.validate(message(List.of("ORCH"), "k", "{}")))
        .doesNotThrowAnyException();
  }

  @Test
  void givenNullMessage_validate_isInvalidMessage() {
    assertCode(() -> outbox.validate(null), OutboxErrorCode.INVALID_MESSAGE);
  }

  @Test
  void givenTopicNotInThisOutbox_validate_isUnknownTopic() {
    OutboxMessage billing =
        new OutboxMessage("billing", List.of("OPS"), "order-1", OBJECT, Map.of());

    assertCode(() -> outbox.validate(billing), OutboxErrorCode.UNKNOWN_TOPIC)
        .hasMessageContaining("[billing]");
  }

  @Test
  void givenNoTags_validate_isUnknownTag() {
    assertCode(
        () -> outbox.validate(message(List.of(), "order-1", OBJECT)), OutboxErrorCode.UNKNOWN_TAG);
    assertCode(
        () -> outbox.validate(message(null, "order-1", OBJECT)), OutboxErrorCode.UNKNOWN_TAG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"BILLING", "ops", "", "OPS,CS", "OPS || CS"})
  void givenTagTheTopicDoesNotHave_validate_isUnknownTagNamingIt(String tag) {
    assertCode(
            () -> outbox.validate(message(List.of("OPS", tag), "order-1", OBJECT)),
            OutboxErrorCode.UNKNOWN_TAG)
        .hasMessageContaining("has no tag [" + tag + "]");
  }

  @Test
  void givenTagOfAnotherTopic_validate_isUnknownTag() {
    Outbox twoTopics =
        new Outbox("test", null, Topics.parse("accompaniment:OPS|CS|ORCH;billing:INVOICE"));

    assertThatCode(
            () ->
                twoTopics.validate(
                    new OutboxMessage("billing", List.of("INVOICE"), "order-1", OBJECT, Map.of())))
        .doesNotThrowAnyException();
    assertCode(
            () -> twoTopics.validate(message(List.of("INVOICE"), "order-1", OBJECT)),
            OutboxErrorCode.UNKNOWN_TAG)
        .hasMessageContaining("topic [accompaniment] has no tag [INVOICE]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "{\"a\":",
        "[1,2]",
        "[{\"a\":1}]",
        "42",
        "\"text\"",
        "true",
        "null",
        "",
        "{\"a\":1} trailing garbage",
        "{\"a\":1}{\"b\":2}"
      })
  void givenPayloadThatIsNotAJsonObject_validate_isMalformedPayload(String payload) {
    assertCode(
        () -> outbox.validate(message(List.of("OPS"), "order-1", payload)),
        OutboxErrorCode.MALFORMED_PAYLOAD);
  }

  @Test
  void givenNullTopicOrNullTag_validate_isATypedRefusal_notANullPointer() {
    assertCode(
        () ->
            outbox.validate(
                new io.txcenter.outbox.api.OutboxMessage(
                    null, List.of("OPS"), "order-1", OBJECT, java.util.Map.of())),
        OutboxErrorCode.UNKNOWN_TOPIC);
    assertCode(
        () -> outbox.validate(message(java.util.Arrays.asList("OPS", null), "order-1", OBJECT)),
        OutboxErrorCode.UNKNOWN_TAG);
  }

  @Test
  void givenNullPayload_validate_isMalformedPayload() {
    assertCode(
        () -> outbox.validate(message(List.of("OPS"), "order-1", null)),
        OutboxErrorCode.MALFORMED_PAYLOAD);
  }

  @Test
  void givenPayloadOneCharacterOverTheLimit_validate_isMalformedPayload_andAtTheLimitIsAccepted() {
    String atLimit = objectOfLength(Outbox.MAX_PAYLOAD);
    String overLimit = objectOfLength(Outbox.MAX_PAYLOAD + 1);
    assertThat(atLimit).hasSize(16_384);
    assertThat(overLimit).hasSize(16_385);

    assertThatCode(() -> outbox.validate(message(List.of("OPS"), "order-1", atLimit)))
        .doesNotThrowAnyException();
    assertCode(
            () -> outbox.validate(message(List.of("OPS"), "order-1", overLimit)),
            OutboxErrorCode.MALFORMED_PAYLOAD)
        .hasMessageContaining("16384");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "order 1", "order/1", "ordér-1", "order-1;DROP"})
  void givenBadBusinessKey_validate_isInvalidMessageNamingIt(String key) {
    assertCode(
            () -> outbox.validate(message(List.of("OPS"), key, OBJECT)),
            OutboxErrorCode.INVALID_MESSAGE)
        .hasMessageContaining("'businessKey'")
        .hasMessageContaining("[" + key + "]");
  }

  @Test
  void givenBusinessKeyOfNullOr65Characters_validate_isInvalidMessage_and64IsAccepted() {
    assertCode(
        () -> outbox.validate(message(List.of("OPS"), null, OBJECT)),
        OutboxErrorCode.INVALID_MESSAGE);
    assertCode(
        () -> outbox.validate(message(List.of("OPS"), "k".repeat(65), OBJECT)),
        OutboxErrorCode.INVALID_MESSAGE);
    assertThatCode(() -> outbox.validate(message(List.of("OPS"), "k".repeat(64), OBJECT)))
        .doesNotThrowAnyException();
  }

  @Test
  void givenNoGlobalTransaction_append_isRefused_andNeverCallsTheAction() {
    RecordingAppend action = new RecordingAppend(null);
    Outbox unbound = new Outbox("test", action, Topics.parse("accompaniment:OPS|CS|ORCH"));
    assertThat(RootContext.getXID()).isNull();

    assertCode(
        () -> unbound.append(List.of(message(List.of("OPS"), "order-1", OBJECT))),
        OutboxErrorCode.NO_GLOBAL_TRANSACTION);

    assertThat(action.calls).isEmpty();
  }

  @Test
  void givenNoMessagesOrAnInvalidOne_append_isRefusedBeforeCallingTheAction() {
    RecordingAppend action = new RecordingAppend(null);
    Outbox bound = new Outbox("test", action, Topics.parse("accompaniment:OPS|CS|ORCH"));
    RootContext.bind("127.0.0.1:8091:42");

    assertCode(() -> bound.append(List.of()), OutboxErrorCode.INVALID_MESSAGE);
    assertCode(() -> bound.append(null), OutboxErrorCode.INVALID_MESSAGE);
    assertCode(
        () ->
            bound.append(
                List.of(
                    message(List.of("OPS"), "order-1", OBJECT),
                    message(List.of("OPS"), "order-2", "[]"))),
        OutboxErrorCode.MALFORMED_PAYLOAD);
    assertCode(
        () -> bound.append(Arrays.asList(message(List.of("OPS"), "order-1", OBJECT), null)),
        OutboxErrorCode.INVALID_MESSAGE);

    assertThat(action.calls).isEmpty();
  }

  @Test
  void givenGlobalTransaction_append_passesACopyOfTheMessagesToTheActionOnce() {
    RecordingAppend action = new RecordingAppend(null);
    Outbox bound = new Outbox("test", action, Topics.parse("accompaniment:OPS|CS|ORCH"));
    List<OutboxMessage> messages = new ArrayList<>();
    messages.add(message(List.of("OPS", "CS"), "order-1", OBJECT));
    messages.add(message(List.of("ORCH"), "order-1", "{\"spent\":50}"));
    RootContext.bind("127.0.0.1:8091:43");

    bound.append(messages);
    messages.clear();

    assertThat(action.calls).hasSize(1);
    assertThat(action.calls.get(0))
        .extracting(OutboxMessage::businessKey, OutboxMessage::payload)
        .containsExactly(tuple("order-1", OBJECT), tuple("order-1", "{\"spent\":50}"));
  }

  @Test
  void givenTheFenceRefusesTheTry_append_isBranchSuspended() {
    RecordingAppend action =
        new RecordingAppend(
            new CommonFenceException(
                "already rolled back", FrameworkErrorCode.DuplicateKeyException));
    Outbox bound = new Outbox("test", action, Topics.parse("accompaniment:OPS|CS|ORCH"));
    RootContext.bind("127.0.0.1:8091:44");

    assertCode(
        () -> bound.append(List.of(message(List.of("OPS"), "order-1", OBJECT))),
        OutboxErrorCode.BRANCH_SUSPENDED);
    assertThat(action.calls).hasSize(1);
  }

  @Test
  void givenAnyOtherFailureOfTheTry_append_rethrowsItUnchanged() {
    IllegalStateException storage = new IllegalStateException("storage down");
    Outbox bound =
        new Outbox("test", new RecordingAppend(storage), Topics.parse("accompaniment:OPS|CS|ORCH"));
    RootContext.bind("127.0.0.1:8091:45");

    assertThatThrownBy(() -> bound.append(List.of(message(List.of("OPS"), "order-1", OBJECT))))
        .isSameAs(storage);
  }

  private static OutboxMessage message(List<String> tags, String key, String payload) {
    return new OutboxMessage(TOPIC, tags, key, payload, Map.of("source", "test"));
  }

  private static String objectOfLength(int length) {
    // {"k":"xxx..."} is 8 characters plus the x's
    return "{\"k\":\"" + "x".repeat(length - 8) + "\"}";
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertCode(
      ThrowingCallable call, OutboxErrorCode code) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(OutboxException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageStartingWith(code + ": ");
  }

  /** Records each Try it receives; throws {@code failure} when given one. */
  private static final class RecordingAppend implements OutboxAppendAction {

    private final List<List<OutboxMessage>> calls = new ArrayList<>();
    private final RuntimeException failure;

    RecordingAppend(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public void tryAppend(BusinessActionContext context, List<OutboxMessage> messages) {
      calls.add(messages);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public boolean confirm(BusinessActionContext context) {
      throw new AssertionError("confirm is the coordinator's, never the outbox's");
    }

    @Override
    public boolean cancel(BusinessActionContext context) {
      throw new AssertionError("cancel is the coordinator's, never the outbox's");
    }
  }
}
