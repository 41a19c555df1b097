package io.txcenter.testkit;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.apache.seata.common.Constants;
import org.apache.seata.integration.tx.api.interceptor.ActionInterceptorHandler;
import org.apache.seata.integration.tx.api.util.JsonUtil;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextUtil;

/**
 * The action context Seata's RM gives Confirm and Cancel after a Try, built with Seata's own code
 * without a TC: the values of the Try's parameters annotated {@code BusinessActionContextParameter}
 * on the method Seata's proxy intercepts (the implementation's), written as the branch's
 * application data, and parsed back as the RM parses a branch commit or rollback. The TC stores and
 * returns that text as it got it, so values come back typed as the JSON parser reads them (a {@code
 * long} as {@code Integer} when it fits).
 */
public final class PhaseTwoContext {

  private PhaseTwoContext() {}

  /**
   * The phase-two context of {@code branch} whose Try was {@code action.tryMethod(branch,
   * arguments...)}.
   */
  public static BusinessActionContext of(
      BusinessActionContext branch, Object action, String tryMethod, Object... arguments) {
    Object[] all = new Object[arguments.length + 1];
    all[0] = branch;
    System.arraycopy(arguments, 0, all, 1, arguments.length);
    Method method = tryMethod(action.getClass(), tryMethod, all.length);
    Map<String, Object> values = new Interceptor().values(method, all);
    String applicationData =
        JsonUtil.toJSONString(Collections.singletonMap(Constants.TX_ACTION_CONTEXT, values));
    return BusinessActionContextUtil.getBusinessActionContext(
        branch.getXid(), branch.getBranchId(), branch.getActionName(), applicationData);
  }

  private static Method tryMethod(Class<?> type, String name, int parameters) {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == parameters)
        .filter(m -> m.getParameterTypes()[0] == BusinessActionContext.class)
        .filter(m -> !m.isBridge() && !m.getDeclaringClass().isInterface())
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException(type + " has no " + name + "/" + parameters));
  }

  /** Seata's interceptor, for its reading of the annotated parameters. */
  private static final class Interceptor extends ActionInterceptorHandler {
    Map<String, Object> values(Method method, Object[] arguments) {
      return fetchActionRequestContext(method, arguments);
    }
  }
}
