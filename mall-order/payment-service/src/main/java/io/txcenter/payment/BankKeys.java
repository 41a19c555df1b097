package io.txcenter.payment;

import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The banks' callback secrets and the check of a bank result's signature. A bank's secret is {@code
 * bank.<bankId>.secret}; while a rotation is under way its {@code bank.<bankId>.secret.previous} is
 * accepted too. A bank with no secret is unknown: none of its results verifies.
 */
public final class BankKeys {

  private final Function<String, Optional<String>> secrets;

  /** {@code secrets}: a secret by name ({@link Secrets#find} in the process). */
  public BankKeys(Function<String, Optional<String>> secrets) {
    this.secrets = secrets;
  }

  /** The keys of the process's secrets file or environment. */
  public static BankKeys fromSecrets() {
    return new BankKeys(Secrets::find);
  }

  /**
   * True if {@code result} carries a signature of {@code paymentNo} and every field of the result
   * by bank {@code result.bankId()}'s current or previous secret; constant time per key.
   */
  public boolean verify(String paymentNo, BankResult result) {
    if (result.signature() == null || result.bankId() == null) {
      return false;
    }
    String canonical = BankSignature.canonical(paymentNo, result);
    boolean valid = false;
    for (String key : keysOf(result.bankId())) {
      // no short cut: the time does not tell which key matched
      valid |= Hmac.verify(key, canonical, result.signature());
    }
    return valid;
  }

  private List<String> keysOf(String bankId) {
    List<String> keys = new ArrayList<>(2);
    secrets.apply(BankSignature.secretName(bankId)).ifPresent(keys::add);
    secrets.apply(BankSignature.previousSecretName(bankId)).ifPresent(keys::add);
    return keys;
  }
}
