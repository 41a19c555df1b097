package io.txcenter.payment.tcc;

import io.txcenter.kit.tcc.SecondPhaseTcc;
import io.txcenter.payment.store.PaymentMapper;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The payment branch on the payment schema, inside Seata's fence. */
public class PaymentSettleTcc extends SecondPhaseTcc implements PaymentSettleAction {

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

  @Override
  protected boolean complete(BusinessActionContext context, Phase phase) {
    String xid = context.getXid();
    int n = phase == Phase.CONFIRM ? payments.settle(xid) : payments.unbind(xid);
    log.info(
        phase == Phase.CONFIRM
            ? "payment settled xid={} branch={} changed={}"
            : "payment released xid={} branch={} changed={}",
        xid,
        context.getBranchId(),
        n);
    return true;
  }
}
