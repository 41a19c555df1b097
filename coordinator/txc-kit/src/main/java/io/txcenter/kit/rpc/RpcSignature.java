package io.txcenter.kit.rpc;

import io.txcenter.secrets.Hmac;

/**
 * What a signed Dubbo invocation commits to, and its HMAC-SHA256 with the caller's key: caller
 * identity | interface | group | version | method | parameter types | timestamp | nonce | Seata XID
 * and branch type | digest of the arguments' {@link CanonicalForm}. Fields are length-prefixed, so
 * no value can shift into its neighbour.
 */
public record RpcSignature(
    String caller,
    String service,
    String group,
    String version,
    String method,
    String parameterTypes,
    long timestamp,
    String nonce,
    String xid,
    String branchType,
    String argumentsDigest) {

  /** Attachment keys (lower case: Dubbo's triple protocol lower-cases header names). */
  public static final String CALLER = "txc-caller";

  public static final String TIMESTAMP = "txc-ts";
  public static final String NONCE = "txc-nonce";
  public static final String SIGNATURE = "txc-sig";

  /** The text the HMAC is computed over. */
  public String message() {
    StringBuilder out = new StringBuilder(256).append("txc-rpc-v1");
    for (String field :
        new String[] {
          caller,
          service,
          group,
          version,
          method,
          parameterTypes,
          Long.toString(timestamp),
          nonce,
          xid,
          branchType,
          argumentsDigest
        }) {
      String value = field == null ? "" : field;
      out.append('|').append(value.length()).append(':').append(value);
    }
    return out.toString();
  }

  public String sign(String key) {
    return Hmac.sign(key, message());
  }

  /** Constant-time check of {@code signature}. */
  public boolean verify(String key, String signature) {
    return Hmac.verify(key, message(), signature);
  }

  /** The parameter types as one text: class names joined by commas. */
  public static String typesOf(Class<?>[] types) {
    if (types == null || types.length == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < types.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(types[i].getName());
    }
    return out.toString();
  }
}
