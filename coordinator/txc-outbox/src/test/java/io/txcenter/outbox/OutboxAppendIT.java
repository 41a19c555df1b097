package io.txcenter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.outbox.api.OutboxMessage;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TestDatabase;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox branch on a real database, driven through Seata's fence phase by phase. */
class OutboxAppendIT {

  private static final String ORDER_PLACED = "{\"order\":\"o-1\",\"amount\":120}";
  private static final String POINTS_SPENT = "{\"order\":\"o-1\",\"points\":50}";

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static OutboxMapper mapper;
  private static OutboxDeliveryMapper delivery;
  private static OutboxAppendTcc action;
  private static FenceHarness fence;
  private static TransactionTemplate transactions;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("outbox", "common", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    var store =
        MyBatisStore.open(dataSource, "mapper/OutboxMapper.xml", "mapper/OutboxDeliveryMapper.xml");
    mapper = store.getMapper(OutboxMapper.class);
    delivery = store.getMapper(OutboxDeliveryMapper.class);
    action = new OutboxAppendTcc(mapper);
    fence = new FenceHarness(action, OutboxAppendAction.NAME);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTry_messagesArePrepared_carryingTheBranch() {
    BusinessActionContext branch = FenceHarness.newBranch();
    String key = businessKey();

    fence.tryPhase(branch, () -> append(branch, key));

    List<Map<String, Object>> rows = rows(branch);
    assertThat(rows).hasSize(2);
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.get("status")).isEqualTo("PREPARED");
              assertThat(row.get("xid")).isEqualTo(branch.getXid());
              assertThat(((Number) row.get("branch_id")).longValue())
                  .isEqualTo(branch.getBranchId());
              assertThat(row.get("topic")).isEqualTo("accompaniment");
              assertThat(row.get("business_key")).isEqualTo(key);
              assertThat(row.get("headers")).isEqualTo("{\"source\":\"mall\"}");
              assertThat(row.get("resolved_by")).isNull();
              assertThat(row.get("ready_at")).isNull();
              assertThat(((Number) row.get("fanned_out")).intValue()).isZero();
            });
    assertThat(rows).extracting(r -> r.get("tags")).containsExactly("OPS,CS", "ORCH");
    assertThat(rows).extracting(r -> r.get("payload")).containsExactly(ORDER_PLACED, POINTS_SPENT);
    assertThat(rows)
        .extracting(r -> r.get("message_id"))
        .doesNotHaveDuplicates()
        .doesNotContainNull();
    assertThat(fenceStatus(branch)).isEqualTo(1);
  }

  @Test
  void givenTry_confirmTwice_makesTheMessagesReadyOnce() {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> append(branch, businessKey()));

    assertThat(fence.confirm(branch)).isTrue();
    List<Map<String, Object>> afterFirst = rows(branch);
    assertThat(fence.confirm(branch)).isTrue();

    List<Map<String, Object>> rows = rows(branch);
    assertThat(rows).hasSize(2);
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.get("status")).isEqualTo("READY");
              assertThat(row.get("resolved_by")).isEqualTo("TCC");
              assertThat(row.get("ready_at")).isInstanceOf(LocalDateTime.class);
            });
    assertThat(rows)
        .extracting(r -> r.get("ready_at"))
        .isEqualTo(afterFirst.stream().map(r -> r.get("ready_at")).toList());
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenTry_cancel_discardsTheMessages_andALaterConfirmChangesNothing() {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> append(branch, businessKey()));

    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.confirm(branch)).isFalse();

    List<Map<String, Object>> rows = rows(branch);
    assertThat(rows).hasSize(2);
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.get("status")).isEqualTo("DISCARDED");
              assertThat(row.get("resolved_by")).isEqualTo("TCC");
              assertThat(row.get("ready_at")).isNull();
            });
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  @Test
  void givenCancelBeforeTry_lateTry_isRefusedAndWritesNoMessage() {
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence.cancel(branch)).isTrue(); // empty rollback
    assertThat(fenceStatus(branch)).isEqualTo(4);

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> append(branch, businessKey())))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).as("suspended: %s", e).isTrue());
    assertThat(rows(branch)).isEmpty();
  }

  @Test
  void givenCheckBackDiscardedATriedBranch_aLateConfirmIsRefused_andALateTryToo() {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> append(branch, businessKey()));

    // what the relay's check-back does, in one local transaction, when it discards a branch
    int[] changed = new int[3];
    transactions.executeWithoutResult(
        tx -> {
          changed[0] =
              mapper.settleBranch(
                  branch.getXid(),
                  branch.getBranchId(),
                  OutboxStatus.DISCARDED.name(),
                  "CHECKBACK");
          changed[1] = delivery.markFenceRolledBack(branch.getXid(), branch.getBranchId());
          changed[2] = delivery.insertFenceSuspended(branch.getXid(), branch.getBranchId());
        });
    assertThat(changed).containsExactly(2, 1, 0);
    assertThat(fenceStatus(branch)).isEqualTo(3);
    assertDiscardedByCheckBack(branch);

    assertThat(fence.confirm(branch)).isFalse();
    assertDiscardedByCheckBack(branch);

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> append(branch, businessKey())))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).as("suspended: %s", e).isTrue());
    assertDiscardedByCheckBack(branch);
  }

  @Test
  void givenCheckBackDiscardedABranchWithoutFenceRow_theMarkerSuspendsIt_andATryIsRefused() {
    BusinessActionContext branch = FenceHarness.newBranch();

    transactions.executeWithoutResult(
        tx -> {
          assertThat(delivery.markFenceRolledBack(branch.getXid(), branch.getBranchId())).isZero();
          assertThat(delivery.insertFenceSuspended(branch.getXid(), branch.getBranchId()))
              .isEqualTo(1);
        });
    assertThat(fenceStatus(branch)).isEqualTo(4);

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> append(branch, businessKey())))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).as("suspended: %s", e).isTrue());
    assertThat(rows(branch)).isEmpty();
  }

  @Test
  void givenCheckBackMadeABranchReady_theCoordinatorsConfirmKeepsItReady() {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> append(branch, businessKey()));

    assertThat(
            mapper.settleBranch(
                branch.getXid(), branch.getBranchId(), OutboxStatus.READY.name(), "CHECKBACK"))
        .isEqualTo(2);
    assertThat(fence.confirm(branch)).isTrue();

    assertThat(rows(branch))
        .allSatisfy(
            row -> {
              assertThat(row.get("status")).isEqualTo("READY");
              assertThat(row.get("resolved_by")).isEqualTo("CHECKBACK");
              assertThat(row.get("ready_at")).isNotNull();
            });
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  private static void assertDiscardedByCheckBack(BusinessActionContext branch) {
    List<Map<String, Object>> rows = rows(branch);
    assertThat(rows).hasSize(2);
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.get("status")).isEqualTo("DISCARDED");
              assertThat(row.get("resolved_by")).isEqualTo("CHECKBACK");
              assertThat(row.get("ready_at")).isNull();
            });
  }

  private static void append(BusinessActionContext branch, String key) {
    action.tryAppend(
        branch,
        List.of(
            new OutboxMessage(
                "accompaniment", List.of("OPS", "CS"), key, ORDER_PLACED, Map.of("source", "mall")),
            new OutboxMessage(
                "accompaniment", List.of("ORCH"), key, POINTS_SPENT, Map.of("source", "mall"))));
  }

  private static List<Map<String, Object>> rows(BusinessActionContext branch) {
    return jdbc.queryForList(
        "SELECT message_id, xid, branch_id, topic, tags, business_key, payload, headers, status,"
            + " resolved_by, fanned_out, ready_at FROM outbox_message"
            + " WHERE xid = ? AND branch_id = ? ORDER BY id",
        branch.getXid(),
        branch.getBranchId());
  }

  private static int fenceStatus(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
        Integer.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static String businessKey() {
    return "o-" + UUID.randomUUID().toString().substring(0, 12);
  }
}
