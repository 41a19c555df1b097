package io.txcenter.notify;

import io.txcenter.kit.validation.Ids;
import io.txcenter.outbox.EventType;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import io.txcenter.payment.api.PaymentNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives {@code merchant-notify} events and records each once as a notification due now; the
 * {@link MerchantNotifier} then calls the merchant.
 */
public final class NotifyConsumer implements EventConsumer {

  private static final Logger log = LoggerFactory.getLogger(NotifyConsumer.class);
  private static final EventType<PaymentNotification> NOTIFICATION =
      EventType.reader(PaymentNotification.EVENT, PaymentNotification.class);

  private final IdempotentConsumer idempotent;

  public NotifyConsumer(IdempotentConsumer idempotent) {
    this.idempotent = idempotent;
  }

  @Override
  public void consume(EventMessage message) {
    EventMessageCheck.requireWellFormed(message);
    // the event name is not checked: a notification is whatever its topic carries
    PaymentNotification event = NOTIFICATION.read(message);
    String paymentNo = event.paymentNo();
    String merchant = event.merchantId();
    String status = event.status();
    if (paymentNo.isEmpty() || !Ids.isKey(merchant) || status.isEmpty()) {
      throw new ConsumerException(
          ConsumerException.Code.REJECTED,
          "not a payment notification with paymentNo, merchantId and status: "
              + EventMessageCheck.shown(message.payload()));
    }
    IdempotentConsumer.Outcome outcome =
        idempotent.consume(
            message.messageId(),
            () ->
                idempotent
                    .jdbc()
                    .update(
                        "INSERT INTO merchant_notify (message_id, payment_no, merchant_id,"
                            + " payment_status, payload, state, next_attempt_at)"
                            + " VALUES (?, ?, ?, ?, ?, 'PENDING', NOW(3))",
                        message.messageId(),
                        paymentNo,
                        merchant,
                        status,
                        message.payload()));
    log.info(
        "notification {} payment={} merchant={} status={}",
        outcome == IdempotentConsumer.Outcome.APPLIED ? "recorded" : "already recorded",
        paymentNo,
        merchant,
        status);
  }
}
