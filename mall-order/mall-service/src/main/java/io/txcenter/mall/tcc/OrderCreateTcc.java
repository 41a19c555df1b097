package io.txcenter.mall.tcc;

import io.txcenter.kit.tcc.SecondPhaseTcc;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order branch on the mall's schema, inside Seata's fence: the order row, its lines and its
 * outbox events in one local transaction per phase. Confirm and Cancel address the order by its
 * xid, so a cancelled duplicate attempt can never touch the first attempt's order, and the events
 * by the branch.
 */
public class OrderCreateTcc extends SecondPhaseTcc implements OrderCreateAction {

  private static final Logger log = LoggerFactory.getLogger(OrderCreateTcc.class);

  private final OrderMapper orders;
  private final Outbox outbox;

  /**
   * {@code outbox}: the mall's outbox, installed with its branch store ({@code Outbox.install}).
   */
  public OrderCreateTcc(OrderMapper orders, Outbox outbox) {
    this.orders = orders;
    this.outbox = outbox;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected OrderCreateTcc() {
    this.orders = null;
    this.outbox = null;
  }

  @Override
  public void tryCreate(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "orderNo") String orderNo,
      long userId,
      long totalPoints,
      List<OrderLine> lines,
      List<OutboxMessage> events) {
    orders.insertOrder(orderNo, userId, totalPoints, OrderStatus.TRYING.name(), context.getXid());
    for (OrderLine line : lines) {
      orders.insertLine(orderNo, line.channelId(), line.points());
    }
    outbox.prepareInBranch(context, events);
    log.info(
        "order tried xid={} branch={} order={} user={} points={}",
        context.getXid(),
        context.getBranchId(),
        orderNo,
        userId,
        totalPoints);
  }

  @Override
  protected boolean complete(BusinessActionContext context, Phase phase) {
    OrderStatus to = phase == Phase.CONFIRM ? OrderStatus.CONFIRMED : OrderStatus.CANCELLED;
    int changed = orders.settle(context.getXid(), OrderStatus.TRYING.name(), to.name());
    int events = outbox.settleInBranch(context, phase);
    log.info(
        "order settled xid={} branch={} status={} changed={} events={}",
        context.getXid(),
        context.getBranchId(),
        to,
        changed,
        events);
    return true;
  }
}
