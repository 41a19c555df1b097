package io.txcenter.payment;

import io.txcenter.account.api.AccountService;
import io.txcenter.account.api.CreditRequest;
import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.api.PaymentService;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.api.PaymentView;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.store.PaymentRecord;
import io.txcenter.payment.tcc.PaymentSettleAction;
import io.txcenter.points.api.PointsService;
import java.util.function.Function;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment initiator (TM). A bank callback first claims the CREATED order (a guarded update: one
 * callback wins, the others return the current outcome without starting a transaction), then runs
 * one global transaction: the payment branch, the merchant's account credit, the user's points
 * award, and the voucher and notification events in the outbox.
 */
public final class PaymentServiceImpl implements PaymentService {

  private static final Logger log = LoggerFactory.getLogger(PaymentServiceImpl.class);
  private static final String KEY = "[A-Za-z0-9_-]{1,64}";

  private final PaymentMapper payments;
  private final PaymentSettleAction settle;
  private final AccountService accounts;
  private final Function<String, PointsService> pointsOfChannel;
  private final PaymentEvents events;
  private final int timeoutMillis;
  private final int claimLeaseSeconds;
  private final BankKeys banks;

  public PaymentServiceImpl(
      PaymentMapper payments,
      BankKeys banks,
      PaymentSettleAction settle,
      AccountService accounts,
      Function<String, PointsService> pointsOfChannel,
      PaymentEvents events,
      int timeoutMillis,
      int claimLeaseSeconds) {
    this.payments = payments;
    this.settle = settle;
    this.accounts = accounts;
    this.pointsOfChannel = pointsOfChannel;
    this.events = events;
    this.timeoutMillis = timeoutMillis;
    this.claimLeaseSeconds = claimLeaseSeconds;
    this.banks = banks;
  }

  @Override
  public PaymentView createPayment(CreatePaymentRequest request) {
    if (request == null) {
      throw invalid("'request' must not be null");
    }
    requireKey("paymentNo", request.paymentNo());
    requireKey("merchantId", request.merchantId());
    if (request.userId() <= 0) {
      throw invalid("'userId' must be > 0, was [" + request.userId() + "]");
    }
    if (request.channelId() == null || !request.channelId().matches("[a-z0-9-]{1,32}")) {
      throw invalid("'channelId' must match [a-z0-9-]{1,32}, was [" + request.channelId() + "]");
    }
    requireAmount(request.amountCents());
    if (request.awardPoints() < 0 || request.awardPoints() > PointsService.MAX_POINTS) {
      throw new PaymentException(
          PaymentErrorCode.INVALID_AMOUNT,
          "'awardPoints' must be in [0, "
              + PointsService.MAX_POINTS
              + "], was ["
              + request.awardPoints()
              + "]");
    }
    boolean created =
        payments.insertIgnore(
                request.paymentNo(),
                request.merchantId(),
                request.userId(),
                request.channelId(),
                request.amountCents(),
                request.awardPoints())
            == 1;
    PaymentRecord stored = payments.find(request.paymentNo());
    if (!created
        && !(stored.merchantId().equals(request.merchantId())
            && stored.userId() == request.userId()
            && stored.channelId().equals(request.channelId())
            && stored.amountCents() == request.amountCents()
            && stored.awardPoints() == request.awardPoints())) {
      throw new PaymentException(
          PaymentErrorCode.DUPLICATE_PAYMENT,
          "payment [" + request.paymentNo() + "] exists with other terms");
    }
    if (created) {
      log.info(
          "payment created payment={} merchant={} user={} amount_cents={}",
          request.paymentNo(),
          request.merchantId(),
          request.userId(),
          request.amountCents());
    }
    return view(stored, !created);
  }

  @Override
  public PaymentView completePayment(String paymentNo, BankResult result) {
    requireKey("paymentNo", paymentNo);
    if (result == null
        || result.bankId() == null
        || !result.bankId().matches(BankSignature.BANK_ID)
        || result.bankTxnNo() == null
        || !result.bankTxnNo().matches(KEY)
        || result.amountCents() <= 0
        || (!result.success() && (result.reason() == null || result.reason().isBlank()))) {
      throw new PaymentException(
          PaymentErrorCode.MALFORMED_BANK_RESULT,
          "bank result needs a bankId matching "
              + BankSignature.BANK_ID
              + ", a bankTxnNo matching "
              + KEY
              + ", an amount > 0 and, when failed,"
              + " a reason; was ["
              + result
              + "]");
    }
    // before the payment is even looked up: an unsigned caller learns nothing and changes nothing
    if (!banks.verify(paymentNo, result)) {
      log.warn(
          "bank callback refused reason=bad_signature payment={} bank={} bank_txn={} signed={}",
          paymentNo,
          result.bankId(),
          result.bankTxnNo(),
          result.signature() != null);
      throw new PaymentException(
          PaymentErrorCode.BAD_SIGNATURE,
          "bank result for payment ["
              + paymentNo
              + "] is not signed by bank ["
              + result.bankId()
              + "] (missing or wrong signature, or no secret for this bank)");
    }
    PaymentRecord payment = require(paymentNo);
    if (result.amountCents() != payment.amountCents()) {
      throw new PaymentException(
          PaymentErrorCode.AMOUNT_MISMATCH,
          "bank reports ["
              + result.amountCents()
              + "] cents for payment ["
              + paymentNo
              + "] of ["
              + payment.amountCents()
              + "]");
    }
    if (payments.claim(paymentNo, result.bankTxnNo(), claimLeaseSeconds) != 1) {
      log.info("payment callback repeated payment={} status={}", paymentNo, payment.status());
      return view(payments.find(paymentNo), true);
    }
    PaymentStatus target = result.success() ? PaymentStatus.PAID : PaymentStatus.FAILED;
    return runGlobalTransaction(payments.find(paymentNo), target, result);
  }

  private PaymentView runGlobalTransaction(
      PaymentRecord payment, PaymentStatus target, BankResult result) {
    GlobalTransaction tx = GlobalTransactionContext.createNew();
    try {
      tx.begin(timeoutMillis, "completePayment");
    } catch (TransactionException | RuntimeException e) {
      // Seata reports an unreachable coordinator unchecked (FrameworkException): release the
      // claim whatever the failure, or the payment would sit PROCESSING until its lease ends
      payments.release(payment.paymentNo());
      throw new PaymentException(
          PaymentErrorCode.SERVICE_UNAVAILABLE, "transaction coordinator: " + e.getMessage());
    }
    String xid = tx.getXid();
    try {
      settle.trySettle(null, payment.paymentNo(), target.name(), result.reason());
      events.completed(payment, target, result.bankTxnNo());
      if (target == PaymentStatus.PAID) {
        accounts.tryCredit(
            new CreditRequest(payment.merchantId(), payment.paymentNo(), payment.amountCents()));
        if (payment.awardPoints() > 0) {
          pointsOfChannel
              .apply(payment.channelId())
              .tryCredit(
                  new io.txcenter.points.api.CreditRequest(
                      payment.channelId(),
                      payment.paymentNo(),
                      payment.userId(),
                      payment.awardPoints()));
        }
      }
    } catch (RuntimeException e) {
      try {
        tx.rollback();
      } catch (TransactionException | RuntimeException rollback) {
        log.error(
            "payment rollback not acknowledged xid={} payment={}",
            xid,
            payment.paymentNo(),
            rollback);
      }
      log.info(
          "payment cancelled xid={} payment={} cause={}", xid, payment.paymentNo(), e.getMessage());
      return view(payments.find(payment.paymentNo()), false);
    } finally {
      if (xid.equals(RootContext.getXID())) {
        RootContext.unbind();
      }
    }
    try {
      tx.commit();
      log.info("payment committed xid={} payment={} status={}", xid, payment.paymentNo(), target);
    } catch (TransactionException | RuntimeException e) {
      // the coordinator owns the outcome now: it retries or times the transaction out
      log.error("payment commit not acknowledged xid={} payment={}", xid, payment.paymentNo(), e);
    }
    return view(payments.find(payment.paymentNo()), false);
  }

  @Override
  public PaymentView queryPayment(String paymentNo) {
    requireKey("paymentNo", paymentNo);
    return view(require(paymentNo), false);
  }

  private PaymentRecord require(String paymentNo) {
    PaymentRecord payment = payments.find(paymentNo);
    if (payment == null) {
      throw new PaymentException(
          PaymentErrorCode.UNKNOWN_PAYMENT, "no payment [" + paymentNo + "]");
    }
    return payment;
  }

  private static PaymentView view(PaymentRecord p, boolean duplicate) {
    return new PaymentView(
        p.paymentNo(),
        PaymentStatus.valueOf(p.status()),
        p.merchantId(),
        p.userId(),
        p.channelId(),
        p.amountCents(),
        p.awardPoints(),
        p.bankTxnNo(),
        p.xid(),
        duplicate);
  }

  private static void requireKey(String name, String value) {
    if (value == null || !value.matches(KEY)) {
      throw invalid("'" + name + "' must match " + KEY + ", was [" + value + "]");
    }
  }

  private static void requireAmount(long cents) {
    if (cents <= 0 || cents > MAX_AMOUNT_CENTS) {
      throw new PaymentException(
          PaymentErrorCode.INVALID_AMOUNT,
          "'amountCents' must be in [1, " + MAX_AMOUNT_CENTS + "], was [" + cents + "]");
    }
  }

  private static PaymentException invalid(String message) {
    return new PaymentException(PaymentErrorCode.INVALID_REQUEST, message);
  }
}
