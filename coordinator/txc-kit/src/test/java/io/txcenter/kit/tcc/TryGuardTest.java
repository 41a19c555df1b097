package io.txcenter.kit.tcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.txcenter.kit.tcc.TryGuard.Outcome;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.seata.common.exception.FrameworkErrorCode;
import org.apache.seata.common.exception.FrameworkException;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.RmTransactionException;
import org.apache.seata.core.exception.TransactionExceptionCode;
import org.apache.seata.integration.tx.api.fence.exception.CommonFenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/** Each failure a Try can meet is mapped to its own outcome, and a typed refusal passes through. */
class TryGuardTest {

  /** A participant's typed API exception, carrying the outcome the guard chose. */
  static final class Refused extends RuntimeException {
    final Outcome outcome;

    Refused(Outcome outcome, String message) {
      super(outcome + ": " + message);
      this.outcome = outcome;
    }
  }

  private static final String XID = "10.0.0.1:8091:42";

  private final TryGuard<Refused> guard =
      new TryGuard<>(
          LoggerFactory.getLogger(TryGuardTest.class),
          "test",
          "order",
          Refused.class,
          e -> e.outcome);

  @BeforeEach
  void bind() {
    RootContext.bind(XID);
  }

  @AfterEach
  void unbind() {
    RootContext.unbind();
  }

  @Test
  void withoutAnXid_theBodyDoesNotRun_andTheCallerGetsNoGlobalTransaction() {
    RootContext.unbind();
    AtomicBoolean ran = new AtomicBoolean();

    Refused e = refusal(() -> ran.set(true));

    assertThat(e.outcome).isEqualTo(Outcome.NO_GLOBAL_TRANSACTION);
    assertThat(e).hasMessageContaining("tryFreeze must run inside a global transaction");
    assertThat(ran).isFalse();
  }

  @Test
  void aTryThatSucceeds_returnsNormally() {
    AtomicBoolean ran = new AtomicBoolean();

    guard.run("tryFreeze", "freeze", "o-1", "", Refused::new, () -> ran.set(true));

    assertThat(ran).isTrue();
  }

  @Test
  void aTypedRefusalOfTheBody_passesThroughUnchanged() {
    Refused own = new Refused(Outcome.DUPLICATE_RESERVATION, "typed by the action");

    assertThat(
            refusal(
                () -> {
                  throw own;
                }))
        .isSameAs(own);
  }

  @Test
  void theFencesSuspension_isSuspended() {
    RuntimeException fence =
        new RuntimeException(
            new CommonFenceException("suspended", FrameworkErrorCode.DuplicateKeyException));

    Refused e =
        refusal(
            () -> {
              throw fence;
            });

    assertThat(e.outcome).isEqualTo(Outcome.SUSPENDED);
    assertThat(e).hasMessageContaining("branch already cancelled, order [o-1]");
  }

  @Test
  void theTcRefusingTheBranch_isTransactionNotActive() {
    RuntimeException register =
        new FrameworkException(
            new RmTransactionException(
                TransactionExceptionCode.GlobalTransactionNotExist, "TC said no"),
            "TCC branch Register error, xid: " + XID);

    Refused e =
        refusal(
            () -> {
              throw register;
            });

    assertThat(e.outcome).isEqualTo(Outcome.TRANSACTION_NOT_ACTIVE);
    assertThat(e).hasMessageContaining("global transaction [" + XID + "] does not exist");
  }

  @Test
  void anUntypedBusinessDuplicateKey_isDuplicateReservation() {
    Refused e =
        refusal(
            () -> {
              throw new DuplicateKeyException("uk_freeze_live");
            });

    assertThat(e.outcome).isEqualTo(Outcome.DUPLICATE_RESERVATION);
  }

  @Test
  void anyOtherFailure_isStorageFailure_withTheCauseCut() {
    String huge = "x".repeat(10_000);

    Refused e =
        refusal(
            () -> {
              throw new IllegalStateException(huge);
            });

    assertThat(e.outcome).isEqualTo(Outcome.STORAGE_FAILURE);
    assertThat(e.getMessage()).contains("storage failure: ").hasSizeLessThan(200);
  }

  @Test
  void anEchoedKey_isCut() {
    RootContext.unbind();

    Refused e =
        (Refused)
            catchThrowable(
                () ->
                    guard.run(
                        "tryFreeze", "freeze", "k".repeat(5_000), "", Refused::new, () -> {}));

    assertThat(e.getMessage()).contains("…(5000 chars)").hasSizeLessThan(200);
  }

  /** Names as every participant API's error code enum has them. */
  enum ApiCode {
    INVALID_REQUEST,
    NO_GLOBAL_TRANSACTION,
    BRANCH_SUSPENDED,
    TRANSACTION_NOT_ACTIVE,
    DUPLICATE_RESERVATION,
    STORAGE_FAILURE
  }

  /** An API whose enum lacks a code the guard needs. */
  enum IncompleteCode {
    NO_GLOBAL_TRANSACTION,
    TRANSACTION_NOT_ACTIVE,
    DUPLICATE_RESERVATION,
    STORAGE_FAILURE
  }

  @Test
  void theConventionalMapping_takesEachOutcomeToItsApiCode() {
    Function<Outcome, ApiCode> codes = TryGuard.codesNamedAlike(ApiCode.class);

    assertThat(codes.apply(Outcome.NO_GLOBAL_TRANSACTION)).isEqualTo(ApiCode.NO_GLOBAL_TRANSACTION);
    assertThat(codes.apply(Outcome.SUSPENDED)).isEqualTo(ApiCode.BRANCH_SUSPENDED);
    assertThat(codes.apply(Outcome.TRANSACTION_NOT_ACTIVE))
        .isEqualTo(ApiCode.TRANSACTION_NOT_ACTIVE);
    assertThat(codes.apply(Outcome.DUPLICATE_RESERVATION)).isEqualTo(ApiCode.DUPLICATE_RESERVATION);
    assertThat(codes.apply(Outcome.STORAGE_FAILURE)).isEqualTo(ApiCode.STORAGE_FAILURE);
  }

  @Test
  void anApiWithoutACodeForAnOutcome_isRefusedAtOnce() {
    assertThatThrownBy(() -> TryGuard.codesNamedAlike(IncompleteCode.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BRANCH_SUSPENDED");
  }

  private Refused refusal(Runnable body) {
    Throwable thrown =
        catchThrowable(
            () -> guard.run("tryFreeze", "freeze", "o-1", "channel=c1", Refused::new, body));
    assertThat(thrown).isInstanceOf(Refused.class);
    return (Refused) thrown;
  }
}
