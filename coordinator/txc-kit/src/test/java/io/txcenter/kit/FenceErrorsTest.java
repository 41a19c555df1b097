package io.txcenter.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.seata.common.exception.FrameworkException;
import org.apache.seata.core.exception.RmTransactionException;
import org.apache.seata.core.exception.TransactionExceptionCode;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/**
 * The shapes Seata 2.x throws out of a TCC Try, built as its {@code ActionInterceptorHandler} and
 * {@code AbstractResourceManager} build them.
 */
class FenceErrorsTest {

  @Test
  void givenTheTcSaysTheGlobalTransactionDoesNotExistOrIsOver_itIsNotActive() {
    for (TransactionExceptionCode code :
        new TransactionExceptionCode[] {
          TransactionExceptionCode.GlobalTransactionNotExist,
          TransactionExceptionCode.GlobalTransactionNotActive,
          TransactionExceptionCode.GlobalTransactionStatusInvalid
        }) {
      assertThat(FenceErrors.isTransactionNotActive(branchRegisterError(code)))
          .as("%s", code)
          .isTrue();
    }
  }

  @Test
  void givenAnotherRegistrationFailure_itIsNotReadAsNotActive() {
    assertThat(
            FenceErrors.isTransactionNotActive(
                branchRegisterError(TransactionExceptionCode.FailedStore)))
        .isFalse();
    assertThat(FenceErrors.isTransactionNotActive(new IllegalStateException("x"))).isFalse();
  }

  @Test
  void aBusinessDuplicateKey_isADuplicate_notASuspension() {
    DuplicateKeyException duplicate = new DuplicateKeyException("uk_points_freeze_live");

    assertThat(FenceErrors.isDuplicateKey(new RuntimeException(duplicate))).isTrue();
    assertThat(FenceErrors.isSuspended(duplicate)).isFalse();
  }

  private static RuntimeException branchRegisterError(TransactionExceptionCode code) {
    RmTransactionException fromTc = new RmTransactionException(code, "Response[ TC said no ]");
    return new FrameworkException(fromTc, "TCC branch Register error, xid: 1.2.3.4:8091:42");
  }
}
