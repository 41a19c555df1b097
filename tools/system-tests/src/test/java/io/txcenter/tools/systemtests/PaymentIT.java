package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.account.api.AccountBalance;
import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.NotificationSignature;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.api.PaymentView;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import io.txcenter.tools.cli.NotifyCommand;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.LocalBank;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Payment completion over the real topology: one global transaction across the payment branch, the
 * merchant's account credit, the user's points award and the payment outbox.
 */
@ExtendWith(SharedTopology.class)
class PaymentIT {

  private static final String A = SharedTopology.A;
  private static final AtomicLong USERS =
      new AtomicLong(800_000 + System.currentTimeMillis() % 100_000);

  private static Clients clients;
  private static JdbcTemplate jdbc;
  private static String payment;
  private static String notify;
  private static String accounting;

  @BeforeAll
  static void useSharedTopology() {
    TopologyConfig config = SharedTopology.get().config();
    clients = SharedTopology.get().clients();
    jdbc = config.serverJdbc();
    payment = config.schema("payment");
    notify = config.schema("notify");
    accounting = config.schemaOfSubscriber("accounting");
  }

  @Test
  void givenABankSuccess_completePayment_creditsTheMerchant_awardsPoints_andEmitsBothEvents() {
    String merchant = merchant();
    long user = USERS.incrementAndGet();
    PaymentView created = create(merchant, user, A, 12_345, 50);

    PaymentView paid =
        clients
            .payment()
            .completePayment(created.paymentNo(), success(created.paymentNo(), 12_345));

    assertThat(paid.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(paid.duplicate()).isFalse();
    assertThat(clients.account().balance(merchant))
        .isEqualTo(new AccountBalance(merchant, 12_345, 0, 0));
    PointsBalance points = clients.points(A).balance(A, user);
    assertThat(List.of(points.available(), points.credited())).isEqualTo(List.of(50L, 50L));
    assertThat(outbox(created.paymentNo()))
        .containsExactly("accounting VOUCHER READY", "merchant-notify PAID READY");
    assertThat(clients.payment().queryPayment(created.paymentNo()).status())
        .isEqualTo(PaymentStatus.PAID);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> notifyState(created.paymentNo()).equals(List.of("ACKED")));
    List<Long> lines = voucherLines(created.paymentNo());
    assertThat(lines).containsExactly(12_345L, -12_345L);
    assertThat(lines.stream().mapToLong(Long::longValue).sum()).as("double entry").isZero();
    // the merchant stub answers 503 twice before it acknowledges
    assertThat(notifyAttempts(created.paymentNo()))
        .containsExactly("HTTP 503", "HTTP 503", "ACKED");
  }

  @Test
  void givenTheMerchantEndpointDown_theNotificationFailsAndIsLogged_thenIsAcknowledgedOnceItIsUp()
      throws Exception {
    Topology topology = SharedTopology.get().topology();
    ProcessHandle merchantStub = topology.running("merchant").orElseThrow();
    merchantStub.destroyForcibly();
    merchantStub.onExit().get();
    String merchant = merchant();
    PaymentView created = create(merchant, USERS.incrementAndGet(), A, 610, 1);
    try {
      clients.payment().completePayment(created.paymentNo(), success(created.paymentNo(), 610));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> notifyAttempts(created.paymentNo()).size() >= 2);
      assertThat(notifyAttempts(created.paymentNo())).allMatch(a -> a.equals("ERROR"));
    } finally {
      topology.up(System.out);
    }
    long id =
        jdbc.queryForObject(
            "SELECT id FROM " + notify + ".merchant_notify WHERE payment_no = ?",
            Long.class,
            created.paymentNo());
    if (notifyState(created.paymentNo()).equals(List.of("GAVE_UP"))) {
      assertThat(new NotifyCommand(SharedTopology.get().config(), System.out).retry(id)).isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> notifyState(created.paymentNo()).equals(List.of("ACKED")));
    assertThat(notifyAttempts(created.paymentNo())).last().isEqualTo("ACKED");
  }

  @Test
  void givenTheSameCallbackAgain_completePayment_returnsTheFirstOutcome_andChangesNothing() {
    String merchant = merchant();
    PaymentView created = create(merchant, USERS.incrementAndGet(), A, 500, 5);
    PaymentView first =
        clients.payment().completePayment(created.paymentNo(), success(created.paymentNo(), 500));

    PaymentView again =
        clients.payment().completePayment(created.paymentNo(), success(created.paymentNo(), 500));

    assertThat(again.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.xid()).isEqualTo(first.xid());
    assertThat(clients.account().balance(merchant).balance()).isEqualTo(500);
    assertThat(outbox(created.paymentNo())).hasSize(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> notifyState(created.paymentNo()).equals(List.of("ACKED")));
    assertThat(voucherLines(created.paymentNo())).hasSize(2);
  }

  @Test
  void givenConcurrentCallbacks_onlyOneStartsAGlobalTransaction_andTheMerchantIsCreditedOnce()
      throws Exception {
    String merchant = merchant();
    long user = USERS.incrementAndGet();
    PaymentView created = create(merchant, user, A, 700, 7);
    CyclicBarrier start = new CyclicBarrier(6);
    List<CompletableFuture<PaymentView>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                awaitBarrier(start);
                return clients
                    .payment()
                    .completePayment(created.paymentNo(), success(created.paymentNo(), 700));
              }));
    }
    List<PaymentView> outcomes = new ArrayList<>();
    for (CompletableFuture<PaymentView> call : calls) {
      outcomes.add(call.get(60, TimeUnit.SECONDS));
    }

    assertThat(outcomes.stream().filter(v -> !v.duplicate())).hasSize(1);
    assertThat(clients.payment().queryPayment(created.paymentNo()).status())
        .isEqualTo(PaymentStatus.PAID);
    assertThat(clients.account().balance(merchant).balance()).isEqualTo(700);
    assertThat(clients.points(A).balance(A, user).credited()).isEqualTo(7);
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(DISTINCT xid) FROM "
                    + payment
                    + ".outbox_message WHERE business_key = ?",
                Long.class,
                created.paymentNo()))
        .isEqualTo(1);
  }

  @Test
  void givenAMerchantWithoutAccountOrAnUnknownChannel_createPayment_refusesIt_andWritesNothing() {
    // issue 13: such payments could never complete; they were accepted and rolled back later
    String unopened = "m-unopened-" + UUID.randomUUID().toString().substring(0, 8);
    assertCode(
        () -> create(unopened, USERS.incrementAndGet(), A, 900, 9),
        PaymentErrorCode.UNKNOWN_MERCHANT);
    assertCode(
        () -> create(merchant(), USERS.incrementAndGet(), "ch-zz", 300, 3),
        PaymentErrorCode.UNKNOWN_CHANNEL);

    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM "
                    + payment
                    + ".payment_order WHERE merchant_id = ? OR channel_id = 'ch-zz'",
                Long.class,
                unopened))
        .isZero();
  }

  @Test
  void givenABankFailure_completePayment_marksItFailed_andEmitsOnlyTheNotification() {
    String merchant = merchant();
    long user = USERS.incrementAndGet();
    PaymentView created = create(merchant, user, A, 400, 4);

    PaymentView failed =
        clients
            .payment()
            .completePayment(
                created.paymentNo(),
                LocalBank.result(
                    created.paymentNo(), "bk-" + user, false, 400, "insufficient funds"));

    assertThat(failed.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(outbox(created.paymentNo())).containsExactly("merchant-notify FAILED READY");
    assertThat(clients.account().balance(merchant).balance()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> notifyState(created.paymentNo()).equals(List.of("ACKED")));
    assertThat(voucherLines(created.paymentNo())).isEmpty();
  }

  @Test
  void givenBadInput_thePaymentServiceRefusesWithStableCodes_andChangesNothing() {
    String merchant = merchant();
    PaymentView created = create(merchant, USERS.incrementAndGet(), A, 250, 2);

    assertCode(
        () -> clients.payment().completePayment("no-such-payment", success("no-such-payment", 1)),
        PaymentErrorCode.UNKNOWN_PAYMENT);
    assertCode(
        () ->
            clients
                .payment()
                .completePayment(
                    created.paymentNo(),
                    LocalBank.sign(
                        created.paymentNo(),
                        BankResult.unsigned(LocalBank.ID, null, true, 250, null))),
        PaymentErrorCode.MALFORMED_BANK_RESULT);
    assertCode(
        () ->
            clients
                .payment()
                .completePayment(
                    created.paymentNo(),
                    LocalBank.result(created.paymentNo(), "bk-1", false, 250, " ")),
        PaymentErrorCode.MALFORMED_BANK_RESULT);
    assertCode(
        () ->
            clients
                .payment()
                .completePayment(created.paymentNo(), success(created.paymentNo(), 251)),
        PaymentErrorCode.AMOUNT_MISMATCH);
    assertCode(() -> create(merchant, 1, A, -5, 0), PaymentErrorCode.INVALID_AMOUNT);
    assertCode(
        () ->
            clients
                .payment()
                .createPayment(
                    new CreatePaymentRequest(created.paymentNo(), merchant, 1, A, 999, 0)),
        PaymentErrorCode.DUPLICATE_PAYMENT);

    assertThat(clients.payment().queryPayment(created.paymentNo()).status())
        .isEqualTo(PaymentStatus.CREATED);
    assertThat(outbox(created.paymentNo())).isEmpty();
    assertThat(clients.account().balance(merchant).balance()).isZero();
  }

  @Test
  void givenForgedBankCallbacks_eachIsBadSignature_andNothingChanges_thenTheBanksOwnIsApplied() {
    String merchant = merchant();
    long user = USERS.incrementAndGet();
    PaymentView created = create(merchant, user, A, 1_500, 15);
    String no = created.paymentNo();
    BankResult paid = BankResult.unsigned(LocalBank.ID, "bk-" + user, true, 1_500, null);
    String ofAnotherAmount =
        LocalBank.sign(no, BankResult.unsigned(LocalBank.ID, "bk-" + user, true, 1, null))
            .signature();
    String ofAFailure =
        LocalBank.sign(no, BankResult.unsigned(LocalBank.ID, "bk-" + user, false, 1_500, "no"))
            .signature();
    String ofAnotherPayment = LocalBank.sign("pay-other", paid).signature();
    BankResult fromAnUnknownBank =
        BankResult.unsigned("other-bank", "bk-" + user, true, 1_500, null)
            .withSignature(LocalBank.sign(no, paid).signature());

    for (BankResult forged :
        List.of(
            paid,
            paid.withSignature(""),
            paid.withSignature(
                Hmac.sign(Secrets.randomToken(32), BankSignature.canonical(no, paid))),
            paid.withSignature(ofAnotherAmount),
            paid.withSignature(ofAFailure),
            paid.withSignature(ofAnotherPayment),
            fromAnUnknownBank)) {
      assertCode(
          () -> clients.payment().completePayment(no, forged), PaymentErrorCode.BAD_SIGNATURE);
    }

    assertThat(
            jdbc.queryForMap(
                "SELECT status, bank_txn_no, xid FROM "
                    + payment
                    + ".payment_order"
                    + " WHERE payment_no = ?",
                no))
        .containsEntry("status", "CREATED")
        .containsEntry("bank_txn_no", null)
        .containsEntry("xid", null);
    assertThat(outbox(no)).isEmpty();
    assertThat(clients.account().balance(merchant).balance()).isZero();
    assertThatThrownBy(() -> clients.points(A).balance(A, user))
        .hasMessageContaining("UNKNOWN_USER");

    PaymentView applied = clients.payment().completePayment(no, LocalBank.sign(no, paid));

    assertThat(applied.status()).isEqualTo(PaymentStatus.PAID);
    assertThat(applied.duplicate()).isFalse();
    assertThat(clients.account().balance(merchant).balance()).isEqualTo(1_500);
    assertThat(clients.points(A).balance(A, user).credited()).isEqualTo(15);
  }

  @Test
  void givenAForgedNotification_theMerchantRefusesIt401_andAcceptsThePlatformsSignedOne()
      throws Exception {
    String merchant = "m-" + UUID.randomUUID().toString().substring(0, 8);
    String body =
        "{\"paymentNo\":\"pay-forged-"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\",\"merchantId\":\""
            + merchant
            + "\",\"status\":\"PAID\"}";
    String now = Long.toString(System.currentTimeMillis() / 1000);
    String key = Hmac.derive(Secrets.require(NotificationSignature.MASTER_KEY), merchant);
    String canonical = NotificationSignature.canonical(now, "9001", merchant, body);

    HttpResponse<String> unsigned = notifyMerchant(merchant, body, null, null, null);
    HttpResponse<String> wrongKey =
        notifyMerchant(merchant, body, now, "9001", Hmac.sign(Secrets.randomToken(32), canonical));
    HttpResponse<String> otherBody =
        notifyMerchant(
            merchant, body.replace("PAID", "FAILED"), now, "9001", Hmac.sign(key, canonical));

    for (HttpResponse<String> refused : List.of(unsigned, wrongKey, otherBody)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).isNotEqualTo("SUCCESS");
    }
    // the stub answers 503 to the first two calls of a payment: refusals did not count as calls
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> signed =
          notifyMerchant(merchant, body, now, "9001", Hmac.sign(key, canonical));
      answers.add(signed.statusCode() + " " + signed.body());
    }
    assertThat(answers)
        .containsExactly("503 busy, try later", "503 busy, try later", "200 SUCCESS");
  }

  private static HttpResponse<String> notifyMerchant(
      String merchant, String body, String timestamp, String id, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + SharedTopology.get().config().port("merchant")
                        + "/notify/"
                        + merchant))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request
          .header(NotificationSignature.TIMESTAMP, timestamp)
          .header(NotificationSignature.NOTIFICATION_ID, id)
          .header(NotificationSignature.SIGNATURE, signature);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertCode(Runnable call, PaymentErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(PaymentException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static List<String> notifyState(String paymentNo) {
    return jdbc.queryForList(
        "SELECT state FROM " + notify + ".merchant_notify WHERE payment_no = ?",
        String.class,
        paymentNo);
  }

  private static List<String> notifyAttempts(String paymentNo) {
    return jdbc
        .queryForList(
            "SELECT a.outcome FROM "
                + notify
                + ".notify_attempt a JOIN "
                + notify
                + ".merchant_notify n ON n.id = a.notify_id WHERE n.payment_no = ? ORDER BY a.id",
            String.class,
            paymentNo)
        .stream()
        .map(o -> o.startsWith("HTTP") ? o.substring(0, 8) : o.startsWith("ERROR") ? "ERROR" : o)
        .toList();
  }

  private static List<Long> voucherLines(String paymentNo) {
    return jdbc.queryForList(
        "SELECT l.amount_cents FROM "
            + accounting
            + ".voucher v JOIN "
            + accounting
            + ".voucher_line l ON l.voucher_no = v.voucher_no WHERE v.payment_no = ? ORDER BY"
            + " l.line_no",
        Long.class,
        paymentNo);
  }

  private static List<String> outbox(String paymentNo) {
    return jdbc.queryForList(
        "SELECT CONCAT(topic, ' ', tags, ' ', status) FROM "
            + payment
            + ".outbox_message WHERE business_key = ? ORDER BY id",
        String.class,
        paymentNo);
  }

  private static String merchant() {
    String merchant = "m-" + UUID.randomUUID().toString().substring(0, 8);
    clients.account().open(merchant, 0, "test PaymentIT");
    return merchant;
  }

  private static PaymentView create(
      String merchant, long user, String channel, long cents, long points) {
    return clients
        .payment()
        .createPayment(
            new CreatePaymentRequest(
                "pay-" + UUID.randomUUID().toString().substring(0, 12),
                merchant,
                user,
                channel,
                cents,
                points));
  }

  /**
   * The bank's success for this payment: one bank transaction per payment, so a repeat is the same
   * result (another bank transaction for a paid payment is a conflict, issue 13).
   */
  private static BankResult success(String paymentNo, long cents) {
    return LocalBank.result(paymentNo, "bk-" + paymentNo, true, cents, null);
  }

  private static void awaitBarrier(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
