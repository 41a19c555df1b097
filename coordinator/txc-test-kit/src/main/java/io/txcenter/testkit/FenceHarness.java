package io.txcenter.testkit;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.common.exception.SkipCallbackWrapperException;
import org.apache.seata.integration.tx.api.fence.DefaultCommonFenceHandler;
import org.apache.seata.rm.tcc.api.BusinessActionContext;

/**
 * Drives a TCC action through Seata's own fence exactly as the RM does (Try through {@code
 * prepareFence}, Confirm/Cancel through {@code commitFence/rollbackFence} with the action's
 * methods), so that tests can order the phases at will: Cancel before Try, duplicate Confirm, ...
 */
public final class FenceHarness {

  private static final AtomicLong BRANCHES = new AtomicLong(System.nanoTime() & 0xFFFFFFFL);

  private final Object action;
  private final String actionName;

  public FenceHarness(Object action, String actionName) {
    this.action = action;
    this.actionName = actionName;
  }

  /** A context for a new branch of a made-up global transaction. */
  public static BusinessActionContext newBranch() {
    long branch = BRANCHES.incrementAndGet();
    BusinessActionContext context = new BusinessActionContext();
    context.setXid("127.0.0.1:8091:" + branch);
    context.setBranchId(branch);
    context.setActionContext(new HashMap<>());
    return context;
  }

  /** Runs {@code tryCall} (which must call the action's Try with {@code context}) in the fence. */
  public void tryPhase(BusinessActionContext context, Runnable tryCall) {
    try {
      DefaultCommonFenceHandler.get()
          .prepareFence(
              context.getXid(),
              context.getBranchId(),
              actionName,
              () -> {
                tryCall.run();
                return null;
              });
    } catch (SkipCallbackWrapperException e) {
      throw unwrap(e);
    }
  }

  public boolean confirm(BusinessActionContext context) {
    try {
      return DefaultCommonFenceHandler.get()
          .commitFence(
              method("confirm"),
              action,
              context.getXid(),
              context.getBranchId(),
              new Object[] {context});
    } catch (SkipCallbackWrapperException e) {
      throw unwrap(e);
    }
  }

  public boolean cancel(BusinessActionContext context) {
    try {
      return DefaultCommonFenceHandler.get()
          .rollbackFence(
              method("cancel"),
              action,
              context.getXid(),
              context.getBranchId(),
              new Object[] {context},
              actionName);
    } catch (SkipCallbackWrapperException e) {
      throw unwrap(e);
    }
  }

  private Method method(String name) {
    try {
      return action.getClass().getMethod(name, BusinessActionContext.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(action.getClass() + " has no " + name + "(context)", e);
    }
  }

  private static RuntimeException unwrap(SkipCallbackWrapperException e) {
    Throwable cause = e.getCause();
    return cause instanceof RuntimeException runtime ? runtime : e;
  }
}
