package io.txcenter.kit;

import java.util.EnumSet;
import java.util.Set;
import org.apache.seata.common.exception.FrameworkErrorCode;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.exception.TransactionExceptionCode;
import org.apache.seata.integration.tx.api.fence.exception.CommonFenceException;
import org.springframework.dao.DuplicateKeyException;

/** Reads what Seata's fence, Seata's branch registration or the store threw out of a Try. */
public final class FenceErrors {

  /**
   * The TC's answers to a branch registration whose global transaction cannot take a branch: it
   * does not exist (a forged XID, or one the TC has already forgotten), or it is no longer Begin
   * (committing, rolling back, timed out, finished).
   */
  private static final Set<TransactionExceptionCode> NOT_ACTIVE =
      EnumSet.of(
          TransactionExceptionCode.GlobalTransactionNotExist,
          TransactionExceptionCode.GlobalTransactionNotActive,
          TransactionExceptionCode.GlobalTransactionStatusInvalid,
          TransactionExceptionCode.TransactionTimeout);

  private FenceErrors() {}

  /**
   * True when the Try was refused because its branch was already cancelled (the fence row exists as
   * {@code suspended}): the suspension case, where the Try must change nothing.
   */
  public static boolean isSuspended(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CommonFenceException fence
          && fence.getErrcode() == FrameworkErrorCode.DuplicateKeyException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * True when the Try never ran because the TC refused to register its branch: the caller's global
   * transaction does not exist or is no longer active. Seata's TCC interceptor reports this as
   * {@code FrameworkException("TCC branch Register error")} around the RM's {@code
   * RmTransactionException}, whose code is the TC's answer.
   */
  public static boolean isTransactionNotActive(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TransactionException tx && NOT_ACTIVE.contains(tx.getCode())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * True when a business row's unique key refused the insert (a second reservation of the same
   * business key), as opposed to the fence's own duplicate ({@link #isSuspended}).
   */
  public static boolean isDuplicateKey(Throwable error) {
    if (isSuspended(error)) {
      return false;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof DuplicateKeyException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
