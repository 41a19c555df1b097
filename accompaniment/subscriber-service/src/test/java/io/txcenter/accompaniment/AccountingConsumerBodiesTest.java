package io.txcenter.accompaniment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The typed voucher reader refuses and accepts exactly the bodies the hand-written {@code path()}
 * reads did, with the same refusal. No database: an accepted body goes on to the (unreachable)
 * database, which is what tells it from a refusal.
 */
class AccountingConsumerBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AccountingConsumer consumer =
      new AccountingConsumer(
          new IdempotentConsumer("accounting", new DriverManagerDataSource("jdbc:none:")));

  @Test
  void givenOddBodies_theOutcomeIsTheOneBeforeTheTypedEvents() {
    List<String> bodies =
        List.of(
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"amountCents\":100}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"userId\":7,"
                + "\"amountCents\":100,\"bankTxnNo\":\"T-1\"}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"amountCents\":\"100\"}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":12,\"merchantId\":true,\"amountCents\":1.5}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"amountCents\":0}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"\",\"merchantId\":\"m-1\",\"amountCents\":5}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":null,\"merchantId\":\"m-1\",\"amountCents\":5}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":{\"a\":1},\"merchantId\":\"m-1\",\"amountCents\":5}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"p\",\"merchantId\":[1],\"amountCents\":5}",
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"p\",\"merchantId\":\"m\",\"amountCents\":5,"
                + "\"userId\":\"x\",\"bankTxnNo\":{}}",
            "{\"event\":\"PAYMENT_NOTIFY\",\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"amountCents\":5}",
            "{\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"amountCents\":5}",
            "{\"event\":null,\"paymentNo\":\"p-1\",\"merchantId\":\"m-1\",\"amountCents\":5}",
            "{not json}",
            "{\"event\":\"PAYMENT_VOUCHER\",}");
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

  /** AccountingConsumer.consume's checks before the typed events (commit 1995a6c). */
  private static String before(String body) {
    JsonNode voucher;
    try {
      voucher = JSON.readTree(body);
    } catch (Exception e) {
      return "REJECTED: payload is not JSON";
    }
    String paymentNo = voucher.path("paymentNo").asText("");
    String merchant = voucher.path("merchantId").asText("");
    long amount = voucher.path("amountCents").asLong(0);
    if (!"PAYMENT_VOUCHER".equals(voucher.path("event").asText())
        || paymentNo.isEmpty()
        || merchant.isEmpty()
        || amount <= 0) {
      return "REJECTED: not a payment voucher with paymentNo, merchantId and amountCents > 0: "
          + EventMessageCheck.shown(body);
    }
    return "accepted";
  }

  private static EventMessage message(String payload) {
    return new EventMessage("msg-1", "accounting", "VOUCHER", "p-1", payload, Map.of(), 0L, 1);
  }
}
