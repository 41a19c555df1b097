package io.txcenter.tools.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The load client's retries: the backoff schedule, and which answers leave the outcome open. */
class RetriesTest {

  @Test
  void backoff_doublesFrom250msTo4s_withJitterInTheUpperHalfOfEachStep() {
    long[] steps = {250, 500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000};
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      for (int retry = 1; retry <= steps.length; retry++) {
        long step = steps[retry - 1];

        long wait = Retries.backoffMillis(retry, random);

        assertThat(wait).as("retry %d", retry).isBetween(step / 2, step);
      }
    }
  }

  @Test
  void backoff_isJittered_andTheSameSeedRepeatsTheSchedule() {
    List<Long> first = schedule(7);
    List<Long> again = schedule(7);
    List<Long> other = schedule(8);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    // jitter: the fifth and sixth retries share the 4 s step, their waits are drawn
    assertThat(new ArrayList<>(schedule(7).subList(4, 6))).doesNotHaveDuplicates();
  }

  private static List<Long> schedule(long seed) {
    Random random = new Random(seed);
    List<Long> waits = new ArrayList<>();
    for (int retry = 1; retry <= 6; retry++) {
      waits.add(Retries.backoffMillis(retry, random));
    }
    return waits;
  }

  @Test
  void backoff_ofRetryZero_isRefused() {
    assertThatThrownBy(() -> Retries.backoffMillis(0, new Random()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'retry'");
  }

  @Test
  void mall_onlyUnavailableAndTransactionFailed_areRetried() {
    assertThat(Arrays.stream(MallErrorCode.values()).filter(Retries::retryable))
        .containsExactlyInAnyOrder(
            MallErrorCode.SERVICE_UNAVAILABLE, MallErrorCode.TRANSACTION_FAILED);
  }

  @Test
  void payment_onlyUnavailable_isRetried() {
    assertThat(Arrays.stream(PaymentErrorCode.values()).filter(Retries::retryable))
        .containsExactly(PaymentErrorCode.SERVICE_UNAVAILABLE);
  }

  @Test
  void fund_transactionAndStorageFailures_areRetried_businessRefusalsAreFinal() {
    assertThat(Arrays.stream(FundErrorCode.values()).filter(Retries::retryable))
        .containsExactlyInAnyOrder(
            FundErrorCode.NO_GLOBAL_TRANSACTION,
            FundErrorCode.BRANCH_SUSPENDED,
            FundErrorCode.TRANSACTION_NOT_ACTIVE,
            FundErrorCode.DUPLICATE_RESERVATION,
            FundErrorCode.STORAGE_FAILURE,
            FundErrorCode.SERVICE_UNAVAILABLE,
            FundErrorCode.TRANSACTION_FAILED);
    assertThat(Retries.retryable(FundErrorCode.INSUFFICIENT_CASH)).isFalse();
    assertThat(Retries.retryable(FundErrorCode.DUPLICATE_PURCHASE)).isFalse();
  }

  @Test
  void statusesInsideTheirTransaction_areNotFinal() {
    assertThat(Arrays.stream(OrderStatus.values()).filter(s -> !Retries.isFinal(s)))
        .containsExactly(OrderStatus.TRYING);
    assertThat(Arrays.stream(PaymentStatus.values()).filter(s -> !Retries.isFinal(s)))
        .containsExactlyInAnyOrder(PaymentStatus.CREATED, PaymentStatus.PROCESSING);
    assertThat(Arrays.stream(PurchaseStatus.values()).filter(s -> !Retries.isFinal(s)))
        .containsExactly(PurchaseStatus.TRIED);
  }
}
