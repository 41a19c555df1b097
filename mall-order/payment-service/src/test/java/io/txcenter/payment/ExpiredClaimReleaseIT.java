package io.txcenter.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A bank callback killed between its claim and its Try left the payment PROCESSING with no xid,
 * which no TC would ever settle (found by the chaos run: payments stuck after the payment service
 * was killed). The claim reaper gives such claims back once the lease has passed, and only those.
 */
class ExpiredClaimReleaseIT {

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PaymentMapper payments;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("payment_claims", "common", "payment");
    jdbc = new JdbcTemplate(dataSource);
    payments =
        MyBatisStore.open(dataSource, "mapper/PaymentMapper.xml").getMapper(PaymentMapper.class);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenClaimsOfEveryKind_onlyTheExpiredUnboundOne_isReleased() {
    for (String no : new String[] {"pay-orphan", "pay-bound", "pay-fresh", "pay-paid"}) {
      payments.insertIgnore(no, "m-1", 7, "ch-a", 100, 1);
      assertThat(payments.claim(no, "bank-a", "bk-" + no, "PAID", "t-" + no, 60)).isEqualTo(1);
    }
    // the orphan and the bound claim are an hour old; the bound one has its global transaction
    jdbc.update(
        "UPDATE payment_order SET claimed_at = NOW(3) - INTERVAL 1 HOUR"
            + " WHERE payment_no IN ('pay-orphan', 'pay-bound')");
    assertThat(payments.bindBranch("pay-bound", "t-pay-bound", "xid-1", "PAID", null)).isEqualTo(1);
    jdbc.update(
        "UPDATE payment_order SET status = 'PAID', claimed_at = NOW(3) - INTERVAL 1 HOUR"
            + " WHERE payment_no = 'pay-paid'");

    assertThat(payments.releaseExpiredClaims(60)).isEqualTo(1);

    assertThat(status("pay-orphan")).isEqualTo("CREATED");
    assertThat(status("pay-bound")).isEqualTo("PROCESSING");
    assertThat(status("pay-fresh")).isEqualTo("PROCESSING");
    assertThat(status("pay-paid")).isEqualTo("PAID");
    // released, it can be claimed again by the bank's next callback
    assertThat(payments.claim("pay-orphan", "bank-a", "bk-again", "PAID", "t-again", 60))
        .isEqualTo(1);
  }

  private static String status(String paymentNo) {
    return jdbc.queryForObject(
        "SELECT status FROM payment_order WHERE payment_no = ?", String.class, paymentNo);
  }
}
