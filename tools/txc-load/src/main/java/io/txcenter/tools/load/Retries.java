package io.txcenter.tools.load;

import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentStatus;
import java.util.Random;

/**
 * When the load client sends a request again, as a real caller does, and how long it waits first.
 *
 * <p>A request is sent again, with the same key and the same content, when its answer leaves the
 * outcome open: a failure that is not the API's typed answer (Dubbo's {@code RpcException}, a
 * timeout), a code the API documents as "nothing done, or not known yet; try again" ({@code
 * SERVICE_UNAVAILABLE}, {@code TRANSACTION_FAILED} and the fund's transaction and storage codes),
 * or a status that is not final ({@code TRYING}, {@code CREATED}, {@code PROCESSING}, {@code
 * TRIED}). Every service is idempotent on the key: a repeat of an identical request answers the
 * first one's outcome ({@code duplicate = true}) and changes nothing. A typed business refusal
 * ({@code INSUFFICIENT_POINTS}, {@code UNKNOWN_CHANNEL}, …) is final: sending it again would be
 * refused again. The switches name every code, so a new code does not compile until it is
 * classified.
 */
final class Retries {

  /** The wait before the first retry; it doubles up to {@link #MAX_BACKOFF_MILLIS}. */
  static final long FIRST_BACKOFF_MILLIS = 250;

  static final long MAX_BACKOFF_MILLIS = 4_000;

  /** Retries after the first attempt unless {@code --retries} says otherwise. */
  static final int DEFAULT_RETRIES = 6;

  private Retries() {}

  /**
   * The wait before retry number {@code retry} (1 for the first): the exponential step {@code 250
   * ms × 2^(retry-1)}, capped at 4 s, with equal jitter: half of the step fixed, the other half
   * drawn from {@code random} (the run's seeded draws, so a seed repeats the schedule).
   */
  static long backoffMillis(int retry, Random random) {
    if (retry < 1) {
      throw new IllegalArgumentException("'retry' must be >= 1, was " + retry);
    }
    long step = MAX_BACKOFF_MILLIS;
    if (retry <= 5) {
      step = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (retry - 1));
    }
    long half = step / 2;
    return half + random.nextInt((int) (step - half) + 1);
  }

  /** True if the mall's refusal {@code code} leaves the order to a retry. */
  static boolean retryable(MallErrorCode code) {
    return switch (code) {
      // refused before any change (TC or a participant unreachable), or not recorded at all
      case SERVICE_UNAVAILABLE, TRANSACTION_FAILED -> true;
      case INVALID_REQUEST,
              INVALID_AMOUNT,
              UNKNOWN_CHANNEL,
              UNKNOWN_USER,
              INSUFFICIENT_POINTS,
              QUOTA_EXHAUSTED,
              UNKNOWN_ORDER,
              DUPLICATE_ORDER ->
          false;
    };
  }

  /** True if the payment service's refusal {@code code} leaves the payment to a retry. */
  static boolean retryable(PaymentErrorCode code) {
    return switch (code) {
      // a dependency or the TC unreachable, or the transaction rolled back: the claim was given
      // back and "the bank's next callback completes it" (PaymentService.completePayment)
      case SERVICE_UNAVAILABLE -> true;
      case INVALID_REQUEST,
              INVALID_AMOUNT,
              UNKNOWN_PAYMENT,
              DUPLICATE_PAYMENT,
              UNKNOWN_MERCHANT,
              UNKNOWN_CHANNEL,
              MALFORMED_BANK_RESULT,
              BAD_SIGNATURE,
              AMOUNT_MISMATCH,
              BANK_TXN_REUSED,
              CONFLICTING_BANK_RESULT ->
          false;
    };
  }

  /** True if the fund service's refusal {@code code} leaves the purchase to a retry. */
  static boolean retryable(FundErrorCode code) {
    return switch (code) {
      // the transaction could not run or was rolled back for a reason other than the business:
      // nothing was bought (docs/fund.md), a new attempt may succeed
      case NO_GLOBAL_TRANSACTION,
              BRANCH_SUSPENDED,
              TRANSACTION_NOT_ACTIVE,
              DUPLICATE_RESERVATION,
              STORAGE_FAILURE,
              SERVICE_UNAVAILABLE,
              TRANSACTION_FAILED ->
          true;
      case INVALID_REQUEST,
              INVALID_AMOUNT,
              UNKNOWN_INVESTOR,
              UNKNOWN_FUND,
              UNKNOWN_PURCHASE,
              FUND_NOT_OPEN,
              INSUFFICIENT_CASH,
              DUPLICATE_PURCHASE ->
          false;
    };
  }

  /** True if an order answered in {@code status} has its outcome. */
  static boolean isFinal(OrderStatus status) {
    return switch (status) {
      case CONFIRMED, CANCELLED -> true;
      case TRYING -> false;
    };
  }

  /**
   * True if a payment answered in {@code status} has its outcome: {@code CREATED} after a
   * completion means its transaction was rolled back and the payment waits for the next callback.
   */
  static boolean isFinal(PaymentStatus status) {
    return switch (status) {
      case PAID, FAILED -> true;
      case CREATED, PROCESSING -> false;
    };
  }

  /** True if a purchase answered in {@code status} has its outcome. */
  static boolean isFinal(PurchaseStatus status) {
    return switch (status) {
      case CONFIRMED, CANCELLED -> true;
      case TRIED -> false;
    };
  }
}
