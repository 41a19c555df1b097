package io.txcenter.kit;

import org.apache.seata.common.exception.FrameworkErrorCode;
import org.apache.seata.integration.tx.api.fence.exception.CommonFenceException;

/** Reads what Seata's fence threw out of a Try. */
public final class FenceErrors {

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
}
