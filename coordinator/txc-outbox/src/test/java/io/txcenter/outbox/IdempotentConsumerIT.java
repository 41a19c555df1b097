package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.outbox.IdempotentConsumer.Outcome;
import io.txcenter.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The consumer-side dedupe on a real database: one effect per (group, message). */
class IdempotentConsumerIT {

  private static final int DELIVERIES = 8;

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("consumer", "consumer");
    jdbc = new JdbcTemplate(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTheSameMessageTwice_consume_appliesItOnce() {
    IdempotentConsumer ops = new IdempotentConsumer("ops", dataSource);
    String message = messageId();
    AtomicInteger runs = new AtomicInteger();

    Outcome first = ops.consume(message, () -> record(ops, message, runs));
    Outcome second = ops.consume(message, () -> record(ops, message, runs));

    assertThat(first).isEqualTo(Outcome.APPLIED);
    assertThat(second).isEqualTo(Outcome.ALREADY_APPLIED);
    assertThat(runs).hasValue(1);
    assertThat(effects("ops", message)).isEqualTo(1);
    assertThat(consumed("ops", message)).isEqualTo(1);
  }

  @Test
  void everyMessage_isCountedByGroupAndOutcome() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(meters);
    try {
      IdempotentConsumer metered = new IdempotentConsumer("metered", dataSource);
      String message = messageId();
      AtomicInteger runs = new AtomicInteger();
      metered.consume(message, () -> record(metered, message, runs));
      metered.consume(message, () -> record(metered, message, runs));
      assertThatThrownBy(
          () ->
              metered.consume(
                  messageId(),
                  () -> {
                    throw new IllegalStateException("down");
                  }));

      for (String outcome : new String[] {"applied", "duplicate", "failed"}) {
        assertThat(
                meters
                    .get("txc.consumer.messages")
                    .tags("group", "metered", "outcome", outcome)
                    .counter()
                    .count())
            .as(outcome)
            .isEqualTo(1);
      }
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(meters);
    }
  }

  @Test
  void givenAFailingEffect_consume_leavesNoTrace_andTheNextDeliveryAppliesIt() {
    IdempotentConsumer cs = new IdempotentConsumer("cs", dataSource);
    String message = messageId();
    AtomicInteger runs = new AtomicInteger();
    IllegalStateException failure = new IllegalStateException("crm down");

    assertThatThrownBy(
            () ->
                cs.consume(
                    message,
                    () -> {
                      record(cs, message, runs); // written, then rolled back with the dedupe row
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThat(consumed("cs", message)).isZero();
    assertThat(effects("cs", message)).isZero();

    assertThat(cs.consume(message, () -> record(cs, message, runs))).isEqualTo(Outcome.APPLIED);
    assertThat(runs).hasValue(2);
    assertThat(effects("cs", message)).isEqualTo(1);
    assertThat(consumed("cs", message)).isEqualTo(1);
  }

  @Test
  void givenAnEffectThatHitsADuplicateKeyOfItsOwn_consume_failsInsteadOfReportingAlreadyApplied() {
    IdempotentConsumer ops = new IdempotentConsumer("ops", dataSource);
    String message = messageId();
    AtomicInteger runs = new AtomicInteger();
    record(ops, message, runs);

    assertThatThrownBy(() -> ops.consume(message, () -> record(ops, message, runs)))
        .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
    assertThat(consumed("ops", message)).isZero();
  }

  @Test
  void givenConcurrentDeliveriesOfOneMessage_consume_appliesItExactlyOnce() throws Exception {
    IdempotentConsumer orch = new IdempotentConsumer("orch", dataSource);
    ExecutorService threads = Executors.newFixedThreadPool(DELIVERIES);
    try {
      for (int round = 0; round < 10; round++) {
        String message = messageId();
        AtomicInteger runs = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(DELIVERIES);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < DELIVERIES; i++) {
          outcomes.add(
              threads.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return orch.consume(message, () -> record(orch, message, runs));
                  }));
        }
        List<Outcome> results = new ArrayList<>();
        for (Future<Outcome> outcome : outcomes) {
          results.add(outcome.get(30, TimeUnit.SECONDS));
        }

        assertThat(results).filteredOn(o -> o == Outcome.APPLIED).hasSize(1);
        assertThat(results).filteredOn(o -> o == Outcome.ALREADY_APPLIED).hasSize(DELIVERIES - 1);
        assertThat(runs).hasValue(1);
        assertThat(effects("orch", message)).isEqualTo(1);
        assertThat(consumed("orch", message)).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void givenTwoGroups_theSameMessage_isAppliedOnceByEach() {
    IdempotentConsumer ops = new IdempotentConsumer("ops", dataSource);
    IdempotentConsumer compliance = new IdempotentConsumer("compliance", dataSource);
    String message = messageId();
    AtomicInteger runs = new AtomicInteger();

    assertThat(ops.consume(message, () -> record(ops, message, runs))).isEqualTo(Outcome.APPLIED);
    assertThat(compliance.consume(message, () -> record(compliance, message, runs)))
        .isEqualTo(Outcome.APPLIED);
    assertThat(ops.consume(message, () -> record(ops, message, runs)))
        .isEqualTo(Outcome.ALREADY_APPLIED);
    assertThat(compliance.consume(message, () -> record(compliance, message, runs)))
        .isEqualTo(Outcome.ALREADY_APPLIED);

    assertThat(runs).hasValue(2);
    assertThat(effects("ops", message)).isEqualTo(1);
    assertThat(effects("compliance", message)).isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM consumed_message WHERE message_id = ?", Long.class, message))
        .isEqualTo(2);
  }

  /** The subscriber's effect: the event as this group applied it, in the dedupe transaction. */
  private static void record(IdempotentConsumer consumer, String message, AtomicInteger runs) {
    runs.incrementAndGet();
    consumer
        .jdbc()
        .update(
            "INSERT INTO accompaniment_event (consumer_group, message_id, topic, tags,"
                + " business_key, payload) VALUES (?, ?, 'accompaniment', 'OPS,CS', 'o-1', '{}')",
            consumer.consumerGroup(),
            message);
  }

  private static long effects(String group, String message) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM accompaniment_event WHERE consumer_group = ? AND message_id = ?",
        Long.class,
        group,
        message);
  }

  private static long consumed(String group, String message) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM consumed_message WHERE consumer_group = ? AND message_id = ?",
        Long.class,
        group,
        message);
  }

  private static String messageId() {
    return UUID.randomUUID().toString();
  }
}
