package io.txcenter.payment;

import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.account.api.CreditRequest;
import io.txcenter.initiator.GlobalTransactionTemplate;
import io.txcenter.initiator.GlobalWork;
import io.txcenter.kit.Echo;
import io.txcenter.kit.validation.Ids;
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
import io.txcenter.secrets.Secrets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The payment initiator (TM). A bank callback is first checked whole (every field against its
 * column, the signature, the payment, the amount, the bank transaction's owner), then claims the
 * CREATED order (a guarded update that records a random owner token, the bank transaction and the
 * outcome it reports: one callback wins; a repeat of the same result returns the current outcome
 * without starting a transaction, a contradicting one is refused, recorded and alerted), then runs
 * one global transaction: the payment branch, the merchant's account credit, the user's points
 * award, and the voucher and notification events in the outbox. A claim whose branch never bound is
 * given back, by its owner only, on every failure path.
 */
public final class PaymentServiceImpl implements PaymentService {

  private static final Logger log = LoggerFactory.getLogger(PaymentServiceImpl.class);

  /** Longest signature accepted (an HMAC-SHA256 is 43 to 64 characters in any usual encoding). */
  static final int MAX_SIGNATURE_CHARS = 512;

  /** Merchants known to have an account (accounts are never closed); bounded. */
  private static final int MAX_KNOWN_MERCHANTS = 100_000;

  private final PaymentMapper payments;
  private final PaymentSettleAction settle;
  private final AccountService accounts;
  private final PaymentChannels channels;
  private final PaymentEvents events;
  private final GlobalTransactionTemplate transactions;
  private final int claimLeaseSeconds;
  private final BankKeys banks;
  private final Set<String> knownMerchants = ConcurrentHashMap.newKeySet();

  public PaymentServiceImpl(
      PaymentMapper payments,
      BankKeys banks,
      PaymentSettleAction settle,
      AccountService accounts,
      PaymentChannels channels,
      PaymentEvents events,
      int timeoutMillis,
      int claimLeaseSeconds) {
    this.payments = payments;
    this.settle = settle;
    this.accounts = accounts;
    this.channels = channels;
    this.events = events;
    this.transactions = new GlobalTransactionTemplate(log, "payment", "payment", timeoutMillis);
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
    if (!Ids.isChannel(request.channelId())) {
      throw invalid(
          "'channelId' must match " + CHANNEL + ", was [" + Echo.cut(request.channelId()) + "]");
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
    // a payment that could never complete is refused now, not found stuck later
    requireMerchant(request.merchantId());
    channels.require(request.channelId());
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

  private void requireMerchant(String merchantId) {
    if (knownMerchants.contains(merchantId)) {
      return;
    }
    boolean exists;
    try {
      exists = accounts.hasAccount(merchantId);
    } catch (RpcException | AccountException e) {
      throw new PaymentException(
          PaymentErrorCode.SERVICE_UNAVAILABLE,
          "account service: " + Echo.cut(String.valueOf(e.getMessage())));
    }
    if (!exists) {
      throw new PaymentException(
          PaymentErrorCode.UNKNOWN_MERCHANT, "merchant [" + merchantId + "] has no account");
    }
    if (knownMerchants.size() < MAX_KNOWN_MERCHANTS) {
      knownMerchants.add(merchantId);
    }
  }

  @Override
  public PaymentView completePayment(String paymentNo, BankResult result) {
    requireKey("paymentNo", paymentNo);
    requireWellFormed(result);
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
    PaymentStatus target = result.success() ? PaymentStatus.PAID : PaymentStatus.FAILED;
    PaymentRecord owner = payments.findByBankTxn(result.bankId(), result.bankTxnNo());
    if (owner != null && !owner.paymentNo().equals(paymentNo)) {
      throw bankTxnReused(paymentNo, result, owner.paymentNo());
    }
    String token = Secrets.randomToken(24);
    int claimed;
    try {
      claimed =
          payments.claim(
              paymentNo,
              result.bankId(),
              result.bankTxnNo(),
              target.name(),
              token,
              claimLeaseSeconds);
    } catch (DuplicateKeyException e) {
      // the unique key on (bank_id, bank_txn_no): another payment's callback claimed it meanwhile
      PaymentRecord other = payments.findByBankTxn(result.bankId(), result.bankTxnNo());
      throw bankTxnReused(paymentNo, result, other == null ? "?" : other.paymentNo());
    }
    if (claimed != 1) {
      return repeatedOrConflicting(paymentNo, result, target);
    }
    return runGlobalTransaction(payments.find(paymentNo), target, result, token);
  }

  /**
   * The payment is claimed or settled already: the same bank transaction with the same outcome is a
   * repeat (the current state, {@code duplicate = true}); anything else contradicts it.
   */
  private PaymentView repeatedOrConflicting(
      String paymentNo, BankResult result, PaymentStatus target) {
    PaymentRecord current = payments.find(paymentNo);
    PaymentStatus status = PaymentStatus.valueOf(current.status());
    if (status == PaymentStatus.CREATED) {
      // the claim holding it was given back between our claim and this read: not ours to judge
      throw new PaymentException(
          PaymentErrorCode.SERVICE_UNAVAILABLE,
          "payment [" + paymentNo + "] was busy; repeat the callback");
    }
    String recorded = status == PaymentStatus.PROCESSING ? current.targetStatus() : status.name();
    boolean sameTxn =
        result.bankId().equals(current.bankId()) && result.bankTxnNo().equals(current.bankTxnNo());
    if (sameTxn && (recorded == null || recorded.equals(target.name()))) {
      log.info("payment callback repeated payment={} status={}", paymentNo, status);
      return view(current, true);
    }
    try {
      payments.insertConflict(
          paymentNo,
          result.bankId(),
          result.bankTxnNo(),
          target.name(),
          Objects.requireNonNullElse(recorded, status.name()),
          current.bankId(),
          current.bankTxnNo());
    } catch (RuntimeException e) {
      // the alert below still goes out; the record is best effort next to the refusal
      log.error("payment conflict not recorded payment={}", paymentNo, e);
    }
    PaymentAlerts.conflict(
        paymentNo,
        result.bankId(),
        result.bankTxnNo(),
        target.name(),
        recorded,
        current.bankTxnNo());
    throw new PaymentException(
        PaymentErrorCode.CONFLICTING_BANK_RESULT,
        "bank ["
            + result.bankId()
            + "] reports "
            + target
            + " by ["
            + result.bankTxnNo()
            + "] for payment ["
            + paymentNo
            + "], which is "
            + status
            + (recorded != null && status == PaymentStatus.PROCESSING ? " (" + recorded + ")" : "")
            + " by ["
            + current.bankTxnNo()
            + "]; recorded for an operator");
  }

  private static PaymentException bankTxnReused(
      String paymentNo, BankResult result, String otherPaymentNo) {
    log.warn(
        "bank callback refused reason=bank_txn_reused payment={} bank={} bank_txn={} owner={}",
        paymentNo,
        result.bankId(),
        result.bankTxnNo(),
        otherPaymentNo);
    return new PaymentException(
        PaymentErrorCode.BANK_TXN_REUSED,
        "bank transaction ["
            + result.bankTxnNo()
            + "] of bank ["
            + result.bankId()
            + "] already belongs to another payment");
  }

  /**
   * Every field of the result against its pattern and its column's width, before anything is
   * claimed: a value the database would refuse must not fail the Try after the claim.
   */
  private static void requireWellFormed(BankResult result) {
    String problem = null;
    if (result == null) {
      problem = "no bank result";
    } else if (result.bankId() == null || !result.bankId().matches(BankSignature.BANK_ID)) {
      problem = "'bankId' must match " + BankSignature.BANK_ID;
    } else if (!Ids.isKey(result.bankTxnNo())) {
      problem = "'bankTxnNo' must match " + KEY;
    } else if (result.amountCents() <= 0) {
      problem = "'amountCents' must be > 0";
    } else if (!result.success() && (result.reason() == null || result.reason().isBlank())) {
      problem = "a failed result needs a 'reason'";
    } else if (result.reason() != null && !reasonFits(result.reason())) {
      problem =
          "'reason' must be at most "
              + MAX_REASON_CHARS
              + " characters, without control characters or unpaired surrogates";
    } else if (result.signature() != null && result.signature().length() > MAX_SIGNATURE_CHARS) {
      problem = "'signature' must be at most " + MAX_SIGNATURE_CHARS + " characters";
    }
    if (problem != null) {
      throw new PaymentException(
          PaymentErrorCode.MALFORMED_BANK_RESULT, problem + "; was [" + result + "]");
    }
  }

  private static boolean reasonFits(String reason) {
    // the column is VARCHAR(256) utf8mb4: it counts code points, and a lone surrogate cannot be
    // stored (the driver would write '?')
    return reason.length() <= 2 * MAX_REASON_CHARS
        && reason.codePointCount(0, reason.length()) <= MAX_REASON_CHARS
        && reason
            .codePoints()
            .noneMatch(c -> Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF));
  }

  private PaymentView runGlobalTransaction(
      PaymentRecord payment, PaymentStatus target, BankResult result, String token) {
    return transactions.execute(
        "completePayment",
        payment.paymentNo(),
        new GlobalWork<>() {
          @Override
          public RuntimeException coordinatorUnavailable(Exception cause) {
            // release the claim whatever the failure (Seata reports an unreachable coordinator
            // unchecked), or the payment would sit PROCESSING until its lease ends
            payments.release(payment.paymentNo(), token);
            return new PaymentException(
                PaymentErrorCode.SERVICE_UNAVAILABLE,
                "transaction coordinator: " + Echo.cut(String.valueOf(cause.getMessage())));
          }

          @Override
          public void run(String xid) {
            settle.trySettle(null, payment.paymentNo(), target.name(), result.reason(), token);
            events.completed(payment, target, result.bankTxnNo());
            if (target == PaymentStatus.PAID) {
              accounts.tryCredit(
                  new CreditRequest(
                      payment.merchantId(), payment.paymentNo(), payment.amountCents()));
              if (payment.awardPoints() > 0) {
                channels
                    .points(payment.channelId())
                    .tryCredit(
                        new io.txcenter.points.api.CreditRequest(
                            payment.channelId(),
                            payment.paymentNo(),
                            payment.userId(),
                            payment.awardPoints()));
              }
            }
          }

          @Override
          public PaymentView failed(String xid, RuntimeException cause) {
            // a branch that bound was given back by its Cancel; one that never bound (the Try
            // failed, or the TC refused the branch) only here. Guarded by the token: a claim taken
            // over by another callback meanwhile is left alone.
            int released = payments.release(payment.paymentNo(), token);
            log.info(
                "payment cancelled xid={} payment={} unbound_claim_released={} cause={}",
                xid,
                payment.paymentNo(),
                released == 1,
                Echo.cut(String.valueOf(cause.getMessage())));
            throw new PaymentException(
                PaymentErrorCode.SERVICE_UNAVAILABLE,
                "payment ["
                    + payment.paymentNo()
                    + "] not completed, rolled back (the bank's next callback completes it): "
                    + Echo.cut(String.valueOf(cause.getMessage())));
          }

          @Override
          public PaymentView committed(String xid, Exception notAcknowledged) {
            if (notAcknowledged == null) {
              log.info(
                  "payment committed xid={} payment={} status={}",
                  xid,
                  payment.paymentNo(),
                  target);
            }
            return view(payments.find(payment.paymentNo()), false);
          }
        });
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
    if (!Ids.isKey(value)) {
      throw invalid("'" + name + "' must match " + KEY + ", was [" + Echo.cut(value) + "]");
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
