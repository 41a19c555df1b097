package io.txcenter.payment.tcc;

import io.txcenter.payment.store.PaymentMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** The payment branch on the payment schema, inside Seata's fence. */
public class PaymentSettleTcc implements PaymentSettleAction {

  private static final Logger log = LoggerFactory.getLogger(PaymentSettleTcc.class);

  private final PaymentMapper payments;

  public PaymentSettleTcc(PaymentMapper payments) {
    this.payments = payments;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected PaymentSettleTcc() {
    this.payments = null;
  }

  @Override
  public void trySettle(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "paymentNo") String paymentNo,
      String targetStatus,
      String reason,
      String claimToken) {
    if (payments.bindBranch(paymentNo, claimToken, context.getXid(), targetStatus, reason) != 1) {
      // the claim was released (lease expired) and maybe taken by another callback: not ours
      throw new IllegalStateException(
          "payment [" + paymentNo + "] is not claimed by this callback");
    }
    log.info(
        "payment tried xid={} branch={} payment={} target={}",
        context.getXid(),
        context.getBranchId(),
        paymentNo,
        targetStatus);
  }

  // READ COMMITTED: see PointsFreezeTcc (fence gap locks under REPEATABLE READ, seata #6679).
  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean confirm(BusinessActionContext context) {
    int n = payments.settle(context.getXid());
    log.info(
        "payment settled xid={} branch={} changed={}", context.getXid(), context.getBranchId(), n);
    return true;
  }

  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean cancel(BusinessActionContext context) {
    int n = payments.unbind(context.getXid());
    log.info(
        "payment released xid={} branch={} changed={}", context.getXid(), context.getBranchId(), n);
    return true;
  }
}
