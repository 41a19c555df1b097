package io.txcenter.accompaniment;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.testkit.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13, defect 5: the voucher number {@code "V-" + paymentNo} did not fit {@code VARCHAR(64)}
 * for payment numbers of 63 and 64 characters (the longest the payment API accepts), so the voucher
 * of a PAID payment was dead-lettered for ever. Every valid payment number now books.
 */
class AccountingVoucherIT {

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static AccountingConsumer consumer;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("accounting", "consumer", "accounting");
    jdbc = new JdbcTemplate(dataSource);
    consumer = new AccountingConsumer(new IdempotentConsumer("accounting", dataSource));
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenPaymentNumbersOf63And64Characters_theVoucherIsBooked() {
    for (int length : new int[] {1, 63, 64}) {
      String paymentNo = "p".repeat(length - 1) + "9";
      String merchant = "m".repeat(64);

      consumer.consume(voucher("msg-" + length, paymentNo, merchant, 1_234));

      assertThat(jdbc.queryForMap("SELECT voucher_no FROM voucher WHERE payment_no = ?", paymentNo))
          .isEqualTo(Map.of("voucher_no", "V-" + paymentNo));
      assertThat(
              jdbc.queryForObject(
                  "SELECT SUM(amount_cents) FROM voucher_line WHERE voucher_no = ?",
                  Long.class,
                  "V-" + paymentNo))
          .isZero();
    }
  }

  private static EventMessage voucher(
      String messageId, String paymentNo, String merchant, long cents) {
    String payload =
        "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\""
            + paymentNo
            + "\",\"merchantId\":\""
            + merchant
            + "\",\"amountCents\":"
            + cents
            + "}";
    return new EventMessage(
        messageId, "accounting", "VOUCHER", paymentNo, payload, Map.of(), 0L, 1);
  }
}
