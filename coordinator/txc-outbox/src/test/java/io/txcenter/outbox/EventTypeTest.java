package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writing and reading typed events: field order, routing, and reads as lenient as path(). */
class EventTypeTest {

  record Shipped(String orderNo, long userId, int parcels, boolean express) {}

  record Spent(String orderNo, Map<String, Long> points) {}

  record Positive(String orderNo, long amount) {
    Positive {
      if (amount < 0) {
        throw new IllegalArgumentException("'amount' must be >= 0, was " + amount);
      }
    }
  }

  private static final EventType<Shipped> SHIPPED =
      EventType.of("SHIPPED", Shipped.class, "logistics", "OPS", "CS");
  private static final EventType<Spent> SPENT =
      EventType.of("SPENT", Spent.class, "accompaniment", s -> List.of(s.orderNo().toUpperCase()));

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void givenARecord_json_isTheEventNameThenTheComponentsInOrder() {
    assertThat(SHIPPED.json(new Shipped("o-1", 7, 2, true)))
        .isEqualTo(
            "{\"event\":\"SHIPPED\",\"orderNo\":\"o-1\",\"userId\":7,\"parcels\":2,\"express\":true}");
    Map<String, Long> points = new LinkedHashMap<>();
    points.put("c2", 5L);
    points.put("c1", 3L);
    assertThat(SPENT.json(new Spent("o-2", points)))
        .isEqualTo("{\"event\":\"SPENT\",\"orderNo\":\"o-2\",\"points\":{\"c2\":5,\"c1\":3}}");
    assertThat(SHIPPED.json(new Shipped(null, 0, 0, false)))
        .isEqualTo(
            "{\"event\":\"SHIPPED\",\"orderNo\":null,\"userId\":0,\"parcels\":0,\"express\":false}");
  }

  @Test
  void givenAnEvent_message_carriesItsRouting() {
    OutboxMessage fixed =
        SHIPPED.with(new Shipped("o-1", 7, 2, true)).message("o-1", Map.of("source", "mall"));
    assertThat(fixed.topic()).isEqualTo("logistics");
    assertThat(fixed.tags()).containsExactly("OPS", "CS");
    assertThat(fixed.businessKey()).isEqualTo("o-1");
    assertThat(fixed.headers()).isEqualTo(Map.of("source", "mall"));

    OutboxMessage derived = SPENT.message(new Spent("paid", Map.of()), "k", Map.of());
    assertThat(derived.tags()).containsExactly("PAID");
  }

  @Test
  void givenWhatItWrote_read_givesTheRecordBack() {
    Shipped shipped = new Shipped("o-1", 7, 2, true);
    assertThat(SHIPPED.read(message(SHIPPED.json(shipped)))).isEqualTo(shipped);
    Spent spent = new Spent("o-2", Map.of("c1", 3L));
    assertThat(SPENT.read(message(SPENT.json(spent)))).isEqualTo(spent);
    assertThat(SHIPPED.isNamedIn(message(SHIPPED.json(shipped)))).isTrue();
    assertThat(SPENT.isNamedIn(message(SHIPPED.json(shipped)))).isFalse();
  }

  /** Each scalar component reads exactly as JsonNode.path(name).asText("")/asLong(0)/… did. */
  @Test
  void givenOddBodies_read_givesWhatPathReadsGave() throws Exception {
    List<String> bodies =
        List.of(
            "{}",
            "{\"orderNo\":null,\"userId\":null,\"parcels\":null,\"express\":null}",
            "{\"orderNo\":12,\"userId\":\"34\",\"parcels\":\"x\",\"express\":\"true\"}",
            "{\"orderNo\":{\"a\":1},\"userId\":[1],\"parcels\":1.9,\"express\":1}",
            "{\"orderNo\":true,\"userId\":9.99,\"parcels\":99999999999,\"express\":\"no\"}",
            "{\"orderNo\":\"\",\"userId\":-5,\"unknown\":1}",
            "{\"orderNo\":\"o\"} trailing",
            "[1,2]",
            "");
    for (String body : bodies) {
      JsonNode tree = JSON.readTree(body);
      Shipped expected =
          new Shipped(
              tree.path("orderNo").asText(""),
              tree.path("userId").asLong(0),
              tree.path("parcels").asInt(0),
              tree.path("express").asBoolean(false));
      assertThat(SHIPPED.read(message(body))).as(body).isEqualTo(expected);
    }
  }

  @Test
  void givenAPayloadThatIsNotJson_read_isRejectedAsBefore() {
    for (String body : List.of("{not json}", "{\"orderNo\":", "{\"a\":1,}")) {
      assertThatThrownBy(() -> SHIPPED.read(message(body)))
          .as(body)
          .isInstanceOfSatisfying(
              ConsumerException.class,
              e -> assertThat(e.code()).isEqualTo(ConsumerException.Code.REJECTED))
          .hasMessage("REJECTED: payload is not JSON");
    }
  }

  @Test
  void givenAComponentThatDoesNotBind_orARecordThatRefuses_read_isRejected() {
    assertThatThrownBy(() -> SPENT.read(message("{\"orderNo\":\"o\",\"points\":[1]}")))
        .isInstanceOfSatisfying(
            ConsumerException.class,
            e -> assertThat(e.code()).isEqualTo(ConsumerException.Code.REJECTED))
        .hasMessageContaining("'points'");
    EventType<Positive> positive = EventType.reader("POSITIVE", Positive.class);
    assertThatThrownBy(() -> positive.read(message("{\"orderNo\":\"o\",\"amount\":-1}")))
        .isInstanceOfSatisfying(
            ConsumerException.class,
            e -> assertThat(e.code()).isEqualTo(ConsumerException.Code.REJECTED))
        .hasMessageContaining("'amount' must be >= 0, was -1");
  }

  @Test
  void givenAMissingMap_read_givesNull() {
    assertThat(SPENT.read(message("{\"orderNo\":\"o\"}")).points()).isNull();
  }

  private static EventMessage message(String payload) {
    return new EventMessage("m-1", "t", "OPS", "k-1", payload, Map.of(), 0L, 1);
  }
}
