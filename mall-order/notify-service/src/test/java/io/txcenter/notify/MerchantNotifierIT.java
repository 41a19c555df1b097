package io.txcenter.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.outbox.RetryLadder;
import io.txcenter.testkit.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The notifier against a real database and a local merchant endpoint that misbehaves on cue. */
class MerchantNotifierIT {

  /** What bin/txc notify retry runs (NotifyCommand.retry). */
  private static final String OPERATOR_RETRY =
      "UPDATE merchant_notify SET state = 'PENDING', attempts = 0, next_attempt_at = NOW(3),"
          + " version = version + 1 WHERE id = ? AND state <> 'ACKED'";

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;

  private HttpServer merchant;
  private final AtomicReference<Handler> handler = new AtomicReference<>();

  interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("notify", "consumer", "notify");
    jdbc = new JdbcTemplate(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @BeforeEach
  void startMerchant() throws IOException {
    jdbc.update("DELETE FROM merchant_notify");
    jdbc.update("DELETE FROM notify_attempt");
    merchant = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    merchant.setExecutor(Executors.newCachedThreadPool());
    merchant.createContext(
        "/notify/",
        exchange -> {
          try {
            handler.get().handle(exchange);
          } catch (Exception e) {
            // the client went away: what a closed connection looks like from the merchant's side
          } finally {
            exchange.close();
          }
        });
    merchant.start();
  }

  @AfterEach
  void stopMerchant() {
    merchant.stop(0);
  }

  @Test
  void givenAnOperatorRetryDuringAFailingAttempt_theRetryIsKept_notOverwrittenByGaveUp()
      throws Exception {
    long id = notification(1); // one attempt made; the ladder below allows no further one
    CountDownLatch inAttempt = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    handler.set(
        exchange -> {
          inAttempt.countDown();
          answer.await(30, TimeUnit.SECONDS);
          respond(exchange, 500, "busy");
        });
    MerchantNotifier notifier = notifier(RetryLadder.parse("1h"));
    ExecutorService pass = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> attempted = pass.submit(notifier::attemptDue);
      assertThat(inAttempt.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(jdbc.update(OPERATOR_RETRY, id)).isOne();
      answer.countDown();

      assertThat(attempted.get(30, TimeUnit.SECONDS)).isOne();
    } finally {
      answer.countDown();
      pass.shutdownNow();
    }
    Map<String, Object> row = row(id);
    assertThat(row.get("state")).as("the operator's retry stands").isEqualTo("PENDING");
    assertThat(((Number) row.get("attempts")).intValue()).isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT next_attempt_at <= NOW(3) FROM merchant_notify WHERE id = ?",
                Boolean.class,
                id))
        .as("due now, as the retry set it")
        .isTrue();
    // the attempt itself is in the log
    assertThat(
            jdbc.queryForObject(
                "SELECT outcome FROM notify_attempt WHERE notify_id = ? AND attempt = 2",
                String.class,
                id))
        .isEqualTo("HTTP 500: busy");
  }

  @Test
  void givenAnOperatorRetryDuringAnAttemptWithStepsLeft_theRetryIsKept_notRescheduled()
      throws Exception {
    long id = notification(3);
    CountDownLatch inAttempt = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    handler.set(
        exchange -> {
          inAttempt.countDown();
          answer.await(30, TimeUnit.SECONDS);
          respond(exchange, 503, "later");
        });
    MerchantNotifier notifier = notifier(RetryLadder.parse("1h,1h,1h,1h,1h"));
    ExecutorService pass = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> attempted = pass.submit(notifier::attemptDue);
      assertThat(inAttempt.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(jdbc.update(OPERATOR_RETRY, id)).isOne();
      answer.countDown();
      attempted.get(30, TimeUnit.SECONDS);
    } finally {
      answer.countDown();
      pass.shutdownNow();
    }
    Map<String, Object> row = row(id);
    assertThat(row.get("state")).isEqualTo("PENDING");
    assertThat(((Number) row.get("attempts")).intValue()).isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT next_attempt_at <= NOW(3) FROM merchant_notify WHERE id = ?",
                Boolean.class,
                id))
        .isTrue();
  }

  @Test
  void givenNoConcurrentChange_aFailedAttempt_isRescheduled_asBefore() {
    long id = notification(0);
    handler.set(exchange -> respond(exchange, 500, "no"));
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(meters);
    try {
      assertThat(notifier(RetryLadder.parse("1h")).attemptDue()).isOne();
      assertThat(meters.get("txc.notifications").tag("outcome", "retried").counter().count())
          .isOne();
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(meters);
    }

    Map<String, Object> row = row(id);
    assertThat(row.get("state")).isEqualTo("PENDING");
    assertThat(((Number) row.get("attempts")).intValue()).isOne();
    assertThat(((Number) row.get("version")).longValue()).isOne();
  }

  @Test
  void givenAMerchantAnsweringAnEndlessBody_theNotifierReadsAtMost4KiB_andClosesIt() {
    long id = notification(0);
    AtomicLong written = new AtomicLong();
    CountDownLatch merchantDone = new CountDownLatch(1);
    handler.set(
        exchange -> {
          try {
            exchange.sendResponseHeaders(200, 0); // chunked, no end
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            OutputStream out = exchange.getResponseBody();
            // endless unless the client stops reading; capped so a broken client cannot fill
            // the disk of this test: 4 GiB
            for (long i = 0; i < 65_536; i++) {
              out.write(chunk);
              written.addAndGet(chunk.length);
            }
          } finally {
            merchantDone.countDown();
          }
        });
    MerchantNotifier notifier = notifier(RetryLadder.parse("1h"));

    long started = System.nanoTime();
    long attempted = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> notifier.attemptDue());
    System.out.printf(
        "endless body: attempt ended after %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

    assertThat(attempted).isOne();
    String outcome =
        jdbc.queryForObject(
            "SELECT outcome FROM notify_attempt WHERE notify_id = ?", String.class, id);
    assertThat(outcome).startsWith("HTTP 200: xxxx").hasSizeLessThanOrEqualTo(256);
    assertThat(row(id).get("state")).isEqualTo("PENDING");
    // the merchant's writes fail once the notifier has closed the connection
    await().atMost(Duration.ofSeconds(20)).until(() -> merchantDone.getCount() == 0);
    assertThat(written.get()).isLessThan(64L * 1024 * 1024);
    System.out.printf("endless body: the merchant wrote %d bytes in all%n", written.get());
  }

  @Test
  void givenSuccessFollowedByMoreThan4KiB_itIsNoAcknowledgement() {
    long id = notification(0);
    handler.set(exchange -> respond(exchange, 200, "SUCCESS" + " ".repeat(8_000) + "x"));

    notifier(RetryLadder.parse("1h")).attemptDue();

    assertThat(row(id).get("state")).isEqualTo("PENDING");
  }

  @Test
  void givenSuccess_theNotificationIsAcked() {
    long id = notification(0);
    handler.set(exchange -> respond(exchange, 200, "SUCCESS\n"));

    notifier(RetryLadder.parse("1h")).attemptDue();

    assertThat(row(id).get("state")).isEqualTo("ACKED");
  }

  private MerchantNotifier notifier(RetryLadder ladder) {
    return new MerchantNotifier(
        jdbc,
        ladder,
        "http://127.0.0.1:" + merchant.getAddress().getPort() + "/notify/",
        new MerchantKeys(name -> Optional.of("test-merchant-key")),
        Clock.systemUTC());
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** A PENDING notification due now, after {@code attempts} failed attempts. */
  private static long notification(int attempts) {
    String paymentNo = "p-" + UUID.randomUUID().toString().substring(0, 8);
    jdbc.update(
        "INSERT INTO merchant_notify (message_id, payment_no, merchant_id, payment_status,"
            + " payload, state, attempts, next_attempt_at)"
            + " VALUES (?, ?, 'm-shop', 'PAID', ?, 'PENDING', ?, NOW(3) - INTERVAL 1 SECOND)",
        UUID.randomUUID().toString(),
        paymentNo,
        "{\"paymentNo\":\"" + paymentNo + "\"}",
        attempts);
    return jdbc.queryForObject(
        "SELECT id FROM merchant_notify WHERE payment_no = ?", Long.class, paymentNo);
  }

  private static Map<String, Object> row(long id) {
    return jdbc.queryForMap("SELECT * FROM merchant_notify WHERE id = ?", id);
  }
}
