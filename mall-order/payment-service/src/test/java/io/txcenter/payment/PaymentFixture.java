package io.txcenter.payment;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.tcc.PaymentSettleAction;
import io.txcenter.payment.tcc.PaymentSettleTcc;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A payment schema of its own (payment, outbox and fence tables, fence installed) and the payment
 * service on it, with the secrets of banks {@code bank-a} and {@code bank-b}, merchant {@code m-1}
 * with an account and channel {@code ch-a} at the portal.
 */
final class PaymentFixture implements AutoCloseable {

  static final String BANK_A = "bank-a";
  static final String BANK_B = "bank-b";

  private final Map<String, String> keys =
      Map.of(BANK_A, Secrets.randomToken(32), BANK_B, Secrets.randomToken(32));

  final HikariDataSource dataSource;
  final JdbcTemplate jdbc;
  final PaymentMapper payments;
  final PaymentServiceImpl service;

  PaymentFixture(String prefix) {
    this(prefix, PaymentSettleTcc::new);
  }

  /** {@code settle}: the payment branch, made from the mapper (the real one by default). */
  PaymentFixture(String prefix, Function<PaymentMapper, PaymentSettleAction> settle) {
    dataSource = TestDatabase.get().freshSchema(prefix, "common", "payment", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    payments =
        MyBatisStore.open(dataSource, "mapper/PaymentMapper.xml").getMapper(PaymentMapper.class);
    service =
        new PaymentServiceImpl(
            payments,
            new BankKeys(
                name ->
                    Optional.ofNullable(
                        name.equals(BankSignature.secretName(BANK_A))
                            ? keys.get(BANK_A)
                            : name.equals(BankSignature.secretName(BANK_B))
                                ? keys.get(BANK_B)
                                : null)),
            settle.apply(payments),
            Participants.accounts("m-1"),
            Participants.channels(new Participants.Portal("ch-a")),
            null,
            5_000,
            60);
  }

  void create(String paymentNo, long cents) {
    service.createPayment(new CreatePaymentRequest(paymentNo, "m-1", 7, "ch-a", cents, 1));
  }

  BankResult signed(
      String paymentNo, String bank, String txn, boolean ok, long cents, String reason) {
    BankResult result = BankResult.unsigned(bank, txn, ok, cents, reason);
    return result.withSignature(
        Hmac.sign(keys.get(bank), BankSignature.canonical(paymentNo, result)));
  }

  /**
   * Puts the payment where a completed callback leaves it, through the mapper's own claim (so the
   * bank transaction is recorded as the service records it) and the settled status.
   */
  void settled(String paymentNo, String bank, String txn, String status) {
    if (payments.claim(paymentNo, bank, txn, status, Secrets.randomToken(24), 60) != 1) {
      throw new IllegalStateException("not claimable: " + paymentNo);
    }
    jdbc.update(
        "UPDATE payment_order SET status = ?, xid = ?, claim_token = NULL WHERE payment_no = ?",
        status,
        "127.0.0.1:8091:" + Math.abs(paymentNo.hashCode()),
        paymentNo);
  }

  /** Every column of the payment that a callback may change. */
  Map<String, Object> row(String paymentNo) {
    return jdbc.queryForMap(
        "SELECT status, target_status, xid, bank_id, bank_txn_no, fail_reason, claimed_at,"
            + " claim_token FROM payment_order WHERE payment_no = ?",
        paymentNo);
  }

  long count(String table) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
  }

  List<Map<String, Object>> conflicts() {
    return jdbc.queryForList(
        "SELECT payment_no, bank_id, bank_txn_no, reported_status, recorded_status,"
            + " recorded_bank_txn_no FROM payment_conflict ORDER BY id");
  }

  @Override
  public void close() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }
}
