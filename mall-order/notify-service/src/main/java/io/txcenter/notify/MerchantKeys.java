package io.txcenter.notify;

import io.txcenter.payment.api.NotificationSignature;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The key the notifier signs a merchant's notifications with: the secret {@code
 * merchant.<merchantId>.key} if it exists (a key agreed with that merchant, or rotated for it
 * alone), else {@code Hmac.derive(merchant.master-key, merchantId)}.
 */
public final class MerchantKeys {

  private final Function<String, Optional<String>> secrets;

  /** {@code secrets}: a secret by name ({@link Secrets#find} in the process). */
  public MerchantKeys(Function<String, Optional<String>> secrets) {
    this.secrets = secrets;
  }

  public static MerchantKeys fromSecrets() {
    return new MerchantKeys(Secrets::find);
  }

  /** True if keys can be derived for every merchant (the master key is configured). */
  public boolean hasMasterKey() {
    return secrets.apply(NotificationSignature.MASTER_KEY).isPresent();
  }

  /**
   * Merchant {@code merchantId}'s key.
   *
   * @throws Secrets.MissingSecretException neither an explicit key nor the master key is configured
   */
  public String keyOf(String merchantId) {
    return secrets
        .apply(NotificationSignature.keyName(merchantId))
        .orElseGet(
            () ->
                Hmac.derive(
                    secrets
                        .apply(NotificationSignature.MASTER_KEY)
                        .orElseThrow(
                            () ->
                                new Secrets.MissingSecretException(
                                    NotificationSignature.MASTER_KEY)),
                    merchantId));
  }
}
