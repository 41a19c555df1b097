package io.txcenter.payment.store;

import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the payment schema ({@code mapper/PaymentMapper.xml}). */
public interface PaymentMapper {

  PaymentRecord find(@Param("paymentNo") String paymentNo);

  PaymentRecord findByXid(@Param("xid") String xid);

  int insertIgnore(
      @Param("paymentNo") String paymentNo,
      @Param("merchantId") String merchantId,
      @Param("userId") long userId,
      @Param("channelId") String channelId,
      @Param("amountCents") long amountCents,
      @Param("awardPoints") long awardPoints);

  /**
   * CREATED to PROCESSING for one bank callback; also takes over a claim older than the lease whose
   * transaction never started. 0 rows: another callback holds it, or it is settled.
   */
  int claim(
      @Param("paymentNo") String paymentNo,
      @Param("bankTxnNo") String bankTxnNo,
      @Param("leaseSeconds") int leaseSeconds);

  /**
   * Gives back every claim older than the lease that never bound a global transaction (its callback
   * died between the claim and the Try), so the payment is CREATED again and a repeated callback
   * can complete it; a claim bound to an xid is left to the TC.
   */
  int releaseExpiredClaims(@Param("leaseSeconds") int leaseSeconds);

  /** Gives an unbound claim back (its global transaction could not begin). */
  int release(@Param("paymentNo") String paymentNo);

  int bindBranch(
      @Param("paymentNo") String paymentNo,
      @Param("xid") String xid,
      @Param("target") String target,
      @Param("reason") String reason);

  int settle(@Param("xid") String xid);

  int unbind(@Param("xid") String xid);
}
