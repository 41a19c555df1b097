package io.txcenter.kit;

import io.txcenter.kit.rpc.RpcSignature;
import io.txcenter.kit.validation.Ids;
import java.util.regex.Pattern;
import org.apache.dubbo.rpc.RpcContext;

/**
 * Who did an operator action (a grant, an account opening) and whether its stated reason is
 * acceptable: the record every balance change without a business transaction must leave, so that
 * the audit can explain it.
 */
public final class OperatorAction {

  /** Longest reason stored ({@code reason VARCHAR(128)} of the grant and opening tables). */
  public static final int MAX_REASON = 128;

  /** Who acted when the call did not come through Dubbo (an in-process caller, a test). */
  public static final String LOCAL = "local";

  private static final Pattern REASON = Pattern.compile("[\\p{L}\\p{N} _.,:;()/#'-]+");

  private OperatorAction() {}

  /**
   * The identity of the caller being served: the one {@code RpcAuthFilter} verified from the
   * request's signature before the call reached the service (an unsigned call never gets here), or
   * {@link #LOCAL} outside a Dubbo call.
   */
  public static String operator() {
    String caller = RpcContext.getServerAttachment().getAttachment(RpcSignature.CALLER);
    return Ids.isIdentity(caller) ? caller : LOCAL;
  }

  /**
   * Why a reason is refused, or null when it is acceptable: present, at most {@link #MAX_REASON}
   * characters, letters, digits, spaces and plain punctuation only. The message does not echo the
   * reason.
   */
  public static String reasonProblem(String reason) {
    if (reason == null || reason.isBlank()) {
      return "'reason' must be given (who asked for this and why)";
    }
    if (reason.length() > MAX_REASON) {
      return "'reason' must be at most " + MAX_REASON + " characters, was " + reason.length();
    }
    if (!REASON.matcher(reason).matches()) {
      return "'reason' may hold letters, digits, spaces and plain punctuation only";
    }
    return null;
  }
}
