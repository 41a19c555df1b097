package io.txcenter.tools.topology;

import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;

/**
 * The bank of the local topology, played by the CLI (pay, demo, load, chaos, tests): it signs its
 * callbacks as any bank must, HMAC-SHA256 of {@link BankSignature#canonical} with its secret {@code
 * bank.demo-bank.secret} from the topology's secrets file (read once {@link Clients} has pointed
 * this JVM at it).
 */
public final class LocalBank {

  /** The bank id of the local topology. */
  public static final String ID = "demo-bank";

  private LocalBank() {}

  /** The bank's signed result for payment {@code paymentNo}. */
  public static BankResult result(
      String paymentNo, String bankTxnNo, boolean success, long amountCents, String reason) {
    return sign(paymentNo, BankResult.unsigned(ID, bankTxnNo, success, amountCents, reason));
  }

  /** {@code result} signed for payment {@code paymentNo} with its bank's secret. */
  public static BankResult sign(String paymentNo, BankResult result) {
    String secret = Secrets.require(BankSignature.secretName(result.bankId()));
    return result.withSignature(Hmac.sign(secret, BankSignature.canonical(paymentNo, result)));
  }
}
