package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.outbox.api.OutboxMessage;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.store.PaymentRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The typed payment events put on the wire exactly the bytes the Map-built payloads did (the audit,
 * accounting, the notifier and the system tests read them): same fields, order, types and routing.
 */
class PaymentEventsWireTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void givenSamplePayments_theTypedMessagesEqualTheMapBuiltOnes() throws Exception {
    List<PaymentRecord> samples =
        List.of(
            payment("P-1", "m-1", 7, 1_234),
            payment("P-" + "9".repeat(62), "m".repeat(64), Long.MAX_VALUE, 1),
            payment("P-3", "m-3", 1, 0));
    for (PaymentRecord payment : samples) {
      for (PaymentStatus status : List.of(PaymentStatus.PAID, PaymentStatus.FAILED)) {
        for (String bankTxnNo : new String[] {"T-1", null}) {
          Map<String, String> headers = Map.of("source", "payment");
          List<OutboxMessage> typed =
              PaymentEvents.eventsOf(payment, status, bankTxnNo).stream()
                  .map(event -> event.message(payment.paymentNo(), headers))
                  .toList();
          assertThat(typed)
              .as("%s %s %s", payment.paymentNo(), status, bankTxnNo)
              .isEqualTo(mapBuilt(payment, status, bankTxnNo));
        }
      }
    }
    assertThat(
            PaymentEvents.eventsOf(payment("P-1", "m-1", 7, 5), PaymentStatus.PAID, "T-1").stream()
                .map(event -> event.message("P-1", Map.of()).payload())
                .toList())
        .containsExactly(
            "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\"P-1\",\"merchantId\":\"m-1\","
                + "\"userId\":7,\"amountCents\":5,\"bankTxnNo\":\"T-1\"}",
            "{\"event\":\"PAYMENT_NOTIFY\",\"paymentNo\":\"P-1\",\"merchantId\":\"m-1\","
                + "\"status\":\"PAID\",\"amountCents\":5}");
  }

  private static PaymentRecord payment(String no, String merchant, long user, long cents) {
    return new PaymentRecord(
        no, merchant, user, "c1", cents, 0, "PROCESSING", "x:1", null, null, null);
  }

  /** PaymentEvents.completed's messages as it built them before the typed events (1995a6c). */
  private static List<OutboxMessage> mapBuilt(
      PaymentRecord payment, PaymentStatus status, String bankTxnNo) throws Exception {
    List<OutboxMessage> messages = new ArrayList<>();
    Map<String, String> headers = Map.of("source", "payment");
    if (status == PaymentStatus.PAID) {
      Map<String, Object> voucher = new LinkedHashMap<>();
      voucher.put("event", "PAYMENT_VOUCHER");
      voucher.put("paymentNo", payment.paymentNo());
      voucher.put("merchantId", payment.merchantId());
      voucher.put("userId", payment.userId());
      voucher.put("amountCents", payment.amountCents());
      voucher.put("bankTxnNo", bankTxnNo);
      messages.add(
          new OutboxMessage(
              "accounting",
              List.of("VOUCHER"),
              payment.paymentNo(),
              JSON.writeValueAsString(voucher),
              headers));
    }
    Map<String, Object> notify = new LinkedHashMap<>();
    notify.put("event", "PAYMENT_NOTIFY");
    notify.put("paymentNo", payment.paymentNo());
    notify.put("merchantId", payment.merchantId());
    notify.put("status", status.name());
    notify.put("amountCents", payment.amountCents());
    messages.add(
        new OutboxMessage(
            "merchant-notify",
            List.of(status.name()),
            payment.paymentNo(),
            JSON.writeValueAsString(notify),
            headers));
    return messages;
  }
}
