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
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.tcc.PaymentSettleTcc;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import io.txcenter.testkit.FreePorts;
import io.txcenter.testkit.TestDatabase;
import java.util.Map;
import java.util.Optional;
import org.apache.seata.tm.TMClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A bank callback while the transaction coordinator cannot be reached: refused as {@code
 * SERVICE_UNAVAILABLE}, and the payment goes back to CREATED so the bank's next callback completes
 * it (a regression: the claim stayed PROCESSING when Seata failed unchecked).
 */
class PaymentCoordinatorDownIT {

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static final String KEY = Secrets.randomToken(32);
  private static PaymentServiceImpl service;
  private static final Map<String, String> BANK_SECRETS = Map.of("bank.it-bank.secret", KEY);

  @BeforeAll
  static void openSchemaWithACoordinatorThatIsDown() {
    // a TC address where nothing listens: begin fails as it does when every TC node is dead
    System.setProperty("registry.type", "file");
    System.setProperty("service.vgroupMapping.txc_tx_group", "down");
    System.setProperty("service.down.grouplist", "127.0.0.1:" + FreePorts.next());
    try {
      TMClient.init("payment-it", "txc_tx_group");
    } catch (RuntimeException expected) {
      // the client starts anyway and keeps failing to reach the coordinator, as intended here
    }
    dataSource = TestDatabase.get().freshSchema("payment", "common", "payment", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    PaymentMapper payments =
        MyBatisStore.open(dataSource, "mapper/PaymentMapper.xml").getMapper(PaymentMapper.class);
    service =
        new PaymentServiceImpl(
            payments,
            new BankKeys(name -> Optional.ofNullable(BANK_SECRETS.get(name))),
            new PaymentSettleTcc(payments),
            Participants.accounts("m-1"),
            Participants.channels(new Participants.Portal("ch-a")),
            null,
            5_000,
            60);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTheCoordinatorDown_completePayment_isServiceUnavailable_andReleasesTheClaim() {
    service.createPayment(new CreatePaymentRequest("pay-tc-down", "m-1", 7, "ch-a", 100, 1));

    assertThatThrownBy(
            () -> service.completePayment("pay-tc-down", signed("pay-tc-down", "bk-1", 100)))
        .isInstanceOfSatisfying(
            PaymentException.class,
            e -> assertThat(e.code()).isEqualTo(PaymentErrorCode.SERVICE_UNAVAILABLE));

    assertThat(service.queryPayment("pay-tc-down").status()).isEqualTo(PaymentStatus.CREATED);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_message", Long.class)).isZero();
  }

  private static BankResult signed(String paymentNo, String bankTxnNo, long cents) {
    BankResult result = BankResult.unsigned("it-bank", bankTxnNo, true, cents, null);
    return result.withSignature(Hmac.sign(KEY, BankSignature.canonical(paymentNo, result)));
  }
}
