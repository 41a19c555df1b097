package io.txcenter.kit.tcc;

import org.apache.seata.rm.tcc.api.BusinessActionContext;

/**
 * A TCC action whose Confirm and Cancel are one method of the {@link TccBranch.Phase}: the two
 * phases differ only in the update they make and the line they log. Both keep the isolation of
 * {@link TccBranch} and run in Seata's fence local transaction.
 */
public abstract class SecondPhaseTcc implements TccBranch {

  @Override
  public boolean confirm(BusinessActionContext context) {
    return complete(context, Phase.CONFIRM);
  }

  @Override
  public boolean cancel(BusinessActionContext context) {
    return complete(context, Phase.CANCEL);
  }

  /**
   * Completes this branch in {@code phase}, idempotently: {@code true} when done (or nothing to
   * do); an exception makes the TC retry.
   */
  protected abstract boolean complete(BusinessActionContext context, Phase phase);
}
