package io.txcenter.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.kit.validation.Ids;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The typed notification reader refuses and accepts exactly the bodies the hand-written {@code
 * path()} reads did, with the same refusal. No database: an accepted body goes on to the
 * (unreachable) database, which is what tells it from a refusal.
 */
class NotifyConsumerBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NotifyConsumer consumer =
      new NotifyConsumer(
          new IdempotentConsumer("notifier", new DriverManagerDataSource("jdbc:none:")));

  @Test
  void givenOddBodies_theOutcomeIsTheOneBeforeTheTypedEvents() {
    List<String> bodies =
        List.of(
            "{\"event\":\"PAYMENT_NOTIFY\",\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\","
                + "\"status\":\"PAID\",\"amountCents\":5}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"status\":\"PAID\"}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"status\":\"PAID\",\"amountCents\":\"x\"}",
            "{\"paymentNo\":7,\"merchantId\":\"m-1\",\"status\":true}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":\"m 1\",\"status\":\"PAID\"}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":null,\"status\":\"PAID\"}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"status\":\"\"}",
            "{\"paymentNo\":[],\"merchantId\":\"m-1\",\"status\":\"PAID\"}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"status\":{}}",
            "{}",
            "{not json}");
    for (String body : bodies) {
      assertThat(outcome(body)).as(body).isEqualTo(before(body));
    }
  }

  private String outcome(String body) {
    try {
      consumer.consume(message(body));
      return "applied";
    } catch (ConsumerException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return "accepted"; // it reached the database
    }
  }

  /** NotifyConsumer.consume's checks before the typed events (commit 1995a6c). */
  private static String before(String body) {
    JsonNode event;
    try {
      event = JSON.readTree(body);
    } catch (Exception e) {
      return "REJECTED: payload is not JSON";
    }
    String paymentNo = event.path("paymentNo").asText("");
    String merchant = event.path("merchantId").asText("");
    String status = event.path("status").asText("");
    if (paymentNo.isEmpty() || !Ids.isKey(merchant) || status.isEmpty()) {
      return "REJECTED: not a payment notification with paymentNo, merchantId and status: "
          + EventMessageCheck.shown(body);
    }
    return "accepted";
  }

  private static EventMessage message(String payload) {
    return new EventMessage("msg-1", "merchant-notify", "PAID", "p-1", payload, Map.of(), 0L, 1);
  }
}
