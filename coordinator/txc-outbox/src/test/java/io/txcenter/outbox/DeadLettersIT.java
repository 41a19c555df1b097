package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The dead-letter queue on a real database: list, re-drive one, re-drive all. */
class DeadLettersIT {

  private static final int LADDER_EXHAUSTED = 17;

  private HikariDataSource dataSource;
  private JdbcTemplate jdbc;
  private OutboxMapper mapper;
  private OutboxDeliveryMapper deliveries;
  private DeadLetters deadLetters;

  @BeforeEach
  void openSchema() {
    // a schema per test: open() and redriveAll() see every dead letter of the schema
    dataSource = TestDatabase.get().freshSchema("dlq", "common", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    var store =
        MyBatisStore.open(dataSource, "mapper/OutboxMapper.xml", "mapper/OutboxDeliveryMapper.xml");
    mapper = store.getMapper(OutboxMapper.class);
    deliveries = store.getMapper(OutboxDeliveryMapper.class);
    deadLetters = new DeadLetters(dataSource);
  }

  @AfterEach
  void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenADeadDelivery_open_listsItWithItsMessage() {
    long pk = readyMessage("o-1", "OPS,CS");
    long id = dead(pk, "ops", "REJECTED: blocked key o-1");

    List<Map<String, Object>> open = deadLetters.open();

    assertThat(open).hasSize(1);
    Map<String, Object> letter = open.get(0);
    assertThat(((Number) letter.get("id")).longValue()).isEqualTo(id);
    assertThat(letter)
        .containsEntry("consumer_group", "ops")
        .containsEntry("last_error", "REJECTED: blocked key o-1")
        .containsEntry("message_id", messageIdOf(pk))
        .containsEntry("topic", "accompaniment")
        .containsEntry("tags", "OPS,CS")
        .containsEntry("business_key", "o-1");
    assertThat(((Number) letter.get("attempts")).intValue()).isEqualTo(LADDER_EXHAUSTED);
    assertThat(letter.get("dead_at")).isNotNull();
    assertThat(delivery(pk, "ops")).containsEntry("status", "DEAD");
  }

  @Test
  void givenADeadLetter_redrive_putsTheDeliveryBackOnTheLadder_once() {
    long pk = readyMessage("o-2", "ORCH");
    long id = dead(pk, "orch", "TRANSIENT: timeout");

    assertThat(deadLetters.redrive(id)).isTrue();

    Map<String, Object> delivery = delivery(pk, "orch");
    assertThat(delivery).containsEntry("status", "PENDING");
    assertThat(((Number) delivery.get("attempts")).intValue()).isZero();
    assertThat(delivery.get("last_error")).isNull();
    assertThat(
            jdbc.queryForObject(
                "SELECT redriven_at IS NOT NULL FROM outbox_dead_letter WHERE id = ?",
                Boolean.class,
                id))
        .isTrue();
    assertThat(deadLetters.open()).isEmpty();
    assertThat(deliveries.findDue("orch", 10))
        .extracting(
            OutboxDeliveryMapper.DueDelivery::messagePk,
            OutboxDeliveryMapper.DueDelivery::consumerGroup)
        .containsExactly(tuple(pk, "orch"));
    assertThat(counter("redriven")).isEqualTo(1);

    assertThat(deadLetters.redrive(id)).isFalse();
    assertThat(counter("redriven")).isEqualTo(1);
  }

  @Test
  void givenNoSuchDeadLetter_redrive_returnsFalseAndChangesNothing() {
    long pk = readyMessage("o-3", "CS");
    long id = dead(pk, "cs", "REJECTED: bad payload");

    assertThat(deadLetters.redrive(id + 1_000)).isFalse();

    assertThat(deadLetters.open()).hasSize(1);
    assertThat(delivery(pk, "cs")).containsEntry("status", "DEAD");
    assertThat(counter("redriven")).isZero();
  }

  @Test
  void givenSeveralDeadLetters_redriveAll_redrivesTheOpenOnes_andCountsThem() {
    long placed = readyMessage("o-4", "OPS,CS");
    long spent = readyMessage("o-5", "ORCH");
    long first = dead(placed, "ops", "boom");
    dead(placed, "cs", "boom");
    dead(spent, "compliance", "boom");
    assertThat(deadLetters.redrive(first)).isTrue();

    assertThat(deadLetters.redriveAll()).isEqualTo(2);

    assertThat(deadLetters.open()).isEmpty();
    assertThat(jdbc.queryForList("SELECT DISTINCT status FROM outbox_delivery", String.class))
        .containsExactly("PENDING");
    assertThat(counter("redriven")).isEqualTo(3);
    assertThat(deadLetters.redriveAll()).isZero();
  }

  /** A message whose global transaction committed, as the relay finds it. */
  private long readyMessage(String key, String tags) {
    String xid = "127.0.0.1:8091:" + UUID.randomUUID();
    String messageId = UUID.randomUUID().toString();
    mapper.insertMessage(messageId, xid, 1L, "accompaniment", tags, key, "{\"order\":1}", "{}");
    assertThat(mapper.settleBranch(xid, 1L, OutboxStatus.READY.name(), "TCC")).isEqualTo(1);
    return jdbc.queryForObject(
        "SELECT id FROM outbox_message WHERE message_id = ?", Long.class, messageId);
  }

  /** A delivery that exhausted its ladder and went to the dead-letter queue; returns its id. */
  private long dead(long messagePk, String group, String error) {
    String key =
        jdbc.queryForObject(
            "SELECT business_key FROM outbox_message WHERE id = ?", String.class, messagePk);
    assertThat(deliveries.insertDelivery(messagePk, group, key)).isEqualTo(1);
    assertThat(deliveries.markDead(messagePk, group, LADDER_EXHAUSTED, error)).isEqualTo(1);
    assertThat(deliveries.insertDeadLetter(messagePk, group, LADDER_EXHAUSTED, error)).isEqualTo(1);
    return jdbc.queryForObject(
        "SELECT id FROM outbox_dead_letter WHERE message_pk = ? AND consumer_group = ?"
            + " AND redriven_at IS NULL",
        Long.class,
        messagePk,
        group);
  }

  private Map<String, Object> delivery(long messagePk, String group) {
    return jdbc.queryForMap(
        "SELECT status, attempts, last_error, next_attempt_at FROM outbox_delivery"
            + " WHERE message_pk = ? AND consumer_group = ?",
        messagePk,
        group);
  }

  private String messageIdOf(long messagePk) {
    return jdbc.queryForObject(
        "SELECT message_id FROM outbox_message WHERE id = ?", String.class, messagePk);
  }

  private long counter(String name) {
    List<Long> values =
        jdbc.queryForList("SELECT value FROM outbox_counter WHERE name = ?", Long.class, name);
    return values.isEmpty() ? 0 : values.get(0);
  }
}
