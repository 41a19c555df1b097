package io.txcenter.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.api.OutboxMessage;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.store.PaymentRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of a completed payment, appended to the payment outbox inside its global transaction:
 * an accounting voucher (topic {@code accounting}, tag {@code VOUCHER}) when paid, and a merchant
 * notification (topic {@code merchant-notify}, tag {@code PAID} or {@code FAILED}).
 */
public final class PaymentEvents {

  public static final String OUTBOX = "payment";
  public static final String TOPICS = "accounting:VOUCHER;merchant-notify:PAID|FAILED";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;

  public PaymentEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public void completed(PaymentRecord payment, PaymentStatus status, String bankTxnNo) {
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
              "accounting", List.of("VOUCHER"), payment.paymentNo(), json(voucher), headers));
    }
    Map<String, Object> notify = new LinkedHashMap<>();
    notify.put("event", "PAYMENT_NOTIFY");
    notify.put("paymentNo", payment.paymentNo());
    notify.put("merchantId", payment.merchantId());
    notify.put("status", status.name());
    notify.put("amountCents", payment.amountCents());
    messages.add(
        new OutboxMessage(
            "merchant-notify", List.of(status.name()), payment.paymentNo(), json(notify), headers));
    outbox.append(messages);
  }

  private static String json(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
