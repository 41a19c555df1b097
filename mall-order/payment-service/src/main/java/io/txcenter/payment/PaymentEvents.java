package io.txcenter.payment;

import io.txcenter.outbox.EventType;
import io.txcenter.outbox.Outbox;
import io.txcenter.payment.api.PaymentNotification;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.api.PaymentVoucher;
import io.txcenter.payment.store.PaymentRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a completed payment, appended to the payment outbox inside its global transaction:
 * an accounting voucher (topic {@code accounting}, tag {@code VOUCHER}) when paid, and a merchant
 * notification (topic {@code merchant-notify}, tag {@code PAID} or {@code FAILED}).
 */
public final class PaymentEvents {

  public static final String OUTBOX = "payment";
  public static final String TOPICS = "accounting:VOUCHER;merchant-notify:PAID|FAILED";

  public static final EventType<PaymentVoucher> VOUCHER =
      EventType.of(PaymentVoucher.EVENT, PaymentVoucher.class, "accounting", "VOUCHER");

  /** Tagged with the payment's status, {@code PAID} or {@code FAILED}. */
  public static final EventType<PaymentNotification> NOTIFICATION =
      EventType.of(
          PaymentNotification.EVENT,
          PaymentNotification.class,
          "merchant-notify",
          notification -> List.of(notification.status()));

  private final Outbox outbox;

  public PaymentEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public void completed(PaymentRecord payment, PaymentStatus status, String bankTxnNo) {
    outbox.publish(payment.paymentNo(), eventsOf(payment, status, bankTxnNo));
  }

  /** The voucher (when paid), then the notification. */
  static List<EventType.Event<?>> eventsOf(
      PaymentRecord payment, PaymentStatus status, String bankTxnNo) {
    List<EventType.Event<?>> events = new ArrayList<>();
    if (status == PaymentStatus.PAID) {
      events.add(
          VOUCHER.with(
              new PaymentVoucher(
                  payment.paymentNo(),
                  payment.merchantId(),
                  payment.userId(),
                  payment.amountCents(),
                  bankTxnNo)));
    }
    events.add(
        NOTIFICATION.with(
            new PaymentNotification(
                payment.paymentNo(), payment.merchantId(), status.name(), payment.amountCents())));
    return events;
  }
}
