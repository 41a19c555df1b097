package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.tcc.PaymentSettleTcc;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import io.txcenter.testkit.TestDatabase;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Forged bank callbacks against the payment service and its schema: each is refused with {@code
 * BAD_SIGNATURE} before the payment is claimed, so the row, the outbox and the fence log stay as
 * they were. (The service here has no account, points or coordinator: a callback that got past the
 * signature would claim the payment and fail, which the row would show.)
 */
class ForgedBankCallbackIT {

  private static final String KEY = Secrets.randomToken(32);

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PaymentServiceImpl service;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("payment_forged", "common", "payment", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    PaymentMapper payments =
        MyBatisStore.open(dataSource, "mapper/PaymentMapper.xml").getMapper(PaymentMapper.class);
    Map<String, String> secrets = Map.of("bank.bank-a.secret", KEY);
    service =
        new PaymentServiceImpl(
            payments,
            new BankKeys(name -> Optional.ofNullable(secrets.get(name))),
            new PaymentSettleTcc(payments),
            Participants.accounts("m-1"),
            Participants.channels(new Participants.Portal("ch-a")),
            null,
            5_000,
            60);
    service.createPayment(new CreatePaymentRequest("pay-forged", "m-1", 7, "ch-a", 1_000, 10));
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenForgedCallbacks_eachIsBadSignature_andThePaymentIsNotClaimed() {
    BankResult paid = BankResult.unsigned("bank-a", "bk-1", true, 1_000, null);
    BankResult signedForOther = sign(KEY, "pay-other", paid);
    BankResult signedSmaller =
        sign(KEY, "pay-forged", BankResult.unsigned("bank-a", "bk-1", true, 1, null));
    BankResult signedFailure =
        sign(KEY, "pay-forged", BankResult.unsigned("bank-a", "bk-1", false, 1_000, "declined"));

    for (BankResult forged :
        new BankResult[] {
          paid, // no signature
          paid.withSignature("not-a-signature"),
          sign(Secrets.randomToken(32), "pay-forged", paid), // another key
          paid.withSignature(signedForOther.signature()), // another payment's
          paid.withSignature(signedSmaller.signature()), // another amount's
          paid.withSignature(signedFailure.signature()), // another status's
          sign(KEY, "pay-forged", BankResult.unsigned("bank-z", "bk-1", true, 1_000, null))
        }) {
      assertThatThrownBy(() -> service.completePayment("pay-forged", forged))
          .as("%s", forged)
          .isInstanceOfSatisfying(
              PaymentException.class,
              e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.BAD_SIGNATURE));
    }

    assertThat(
            jdbc.queryForMap(
                "SELECT status, bank_txn_no, claimed_at, xid FROM payment_order"
                    + " WHERE payment_no = 'pay-forged'"))
        .containsEntry("status", "CREATED")
        .containsEntry("bank_txn_no", null)
        .containsEntry("claimed_at", null)
        .containsEntry("xid", null);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_message", Long.class)).isZero();
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tcc_fence_log", Long.class)).isZero();
  }

  @Test
  void givenAForgedCallbackForAPaymentThatDoesNotExist_itIsBadSignature_notUnknownPayment() {
    // an unsigned caller cannot probe which payment numbers exist
    assertThatThrownBy(
            () ->
                service.completePayment(
                    "pay-nobody", BankResult.unsigned("bank-a", "bk-1", true, 5, null)))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.BAD_SIGNATURE));
  }

  private static BankResult sign(String key, String paymentNo, BankResult result) {
    return result.withSignature(Hmac.sign(key, BankSignature.canonical(paymentNo, result)));
  }
}
