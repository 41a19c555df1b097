package io.txcenter.mall;

import io.txcenter.kit.Echo;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.mall.store.OrderRecord;
import io.txcenter.outbox.api.OutboxCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mall's business check for its outbox: an order's events were committed if and only if the
 * order, recorded by the same global transaction, is CONFIRMED.
 */
public final class OrderOutboxCheck implements OutboxCheck {

  private static final Logger log = LoggerFactory.getLogger(OrderOutboxCheck.class);

  private final OrderMapper orders;

  public OrderOutboxCheck(OrderMapper orders) {
    this.orders = orders;
  }

  @Override
  public CheckOutcome check(String topic, String businessKey, String xid) {
    OrderRecord order = orders.find(businessKey);
    CheckOutcome outcome;
    if (order == null || !order.xid().equals(xid)) {
      // the order branch runs before the outbox branch in the same transaction: no order of this
      // xid means its Try never committed, so the transaction cannot have committed
      outcome = CheckOutcome.ROLLED_BACK;
    } else {
      outcome =
          switch (OrderStatus.valueOf(order.status())) {
            case CONFIRMED -> CheckOutcome.COMMITTED;
            case CANCELLED -> CheckOutcome.ROLLED_BACK;
            case TRYING -> CheckOutcome.UNKNOWN;
          };
    }
    log.info(
        "outbox business check xid={} order={} outcome={}",
        Echo.cut(xid),
        Echo.cut(businessKey),
        outcome);
    return outcome;
  }
}
