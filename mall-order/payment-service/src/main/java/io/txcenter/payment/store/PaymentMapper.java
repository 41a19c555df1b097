package io.txcenter.payment.store;

import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the payment schema ({@code mapper/PaymentMapper.xml}). */
public interface PaymentMapper {

  PaymentRecord find(@Param("paymentNo") String paymentNo);

  PaymentRecord findByXid(@Param("xid") String xid);

  /** The payment that claimed or settled this bank transaction, or null. */
  PaymentRecord findByBankTxn(@Param("bankId") String bankId, @Param("bankTxnNo") String bankTxnNo);

  int insertIgnore(
      @Param("paymentNo") String paymentNo,
      @Param("merchantId") String merchantId,
      @Param("userId") long userId,
      @Param("channelId") String channelId,
      @Param("amountCents") long amountCents,
      @Param("awardPoints") long awardPoints);

  /**
   * CREATED to PROCESSING for one bank callback, owned by {@code token} (random, one per claim),
   * recording the bank transaction and the outcome it reports; also takes over a claim older than
   * the lease whose transaction never started (the token changes, so the stalled owner can no
   * longer bind or release it). 0 rows: another callback holds it, or it is settled.
   *
   * @throws org.springframework.dao.DuplicateKeyException when this bank transaction already
   *     claimed or settled another payment (unique key {@code uk_payment_bank_txn})
   */
  int claim(
      @Param("paymentNo") String paymentNo,
      @Param("bankId") String bankId,
      @Param("bankTxnNo") String bankTxnNo,
      @Param("target") String target,
      @Param("token") String token,
      @Param("leaseSeconds") int leaseSeconds);

  /**
   * Gives back every claim older than the lease that never bound a global transaction (its callback
   * died between the claim and the Try), so the payment is CREATED again and a repeated callback
   * can complete it; a claim bound to an xid is left to the TC.
   */
  int releaseExpiredClaims(@Param("leaseSeconds") int leaseSeconds);

  /**
   * Gives back the claim of {@code token} if it never bound a global transaction; 0 rows when the
   * claim is bound (the TC's Cancel gives it back), or is no longer this token's.
   */
  int release(@Param("paymentNo") String paymentNo, @Param("token") String token);

  /** Binds the claim of {@code token} to {@code xid}; 0 rows when the claim is not this token's. */
  int bindBranch(
      @Param("paymentNo") String paymentNo,
      @Param("token") String token,
      @Param("xid") String xid,
      @Param("target") String target,
      @Param("reason") String reason);

  int settle(@Param("xid") String xid);

  int unbind(@Param("xid") String xid);

  /** Records a bank result that contradicts what the payment holds (autocommitted on its own). */
  int insertConflict(
      @Param("paymentNo") String paymentNo,
      @Param("bankId") String bankId,
      @Param("bankTxnNo") String bankTxnNo,
      @Param("reported") String reported,
      @Param("recorded") String recorded,
      @Param("recordedBankId") String recordedBankId,
      @Param("recordedBankTxnNo") String recordedBankTxnNo);
}
