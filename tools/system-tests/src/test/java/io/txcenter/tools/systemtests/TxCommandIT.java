package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.tools.cli.TxCommand;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TcConsole;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bin/txc tx show|list} on the running topology: a committed order's timeline holds its four
 * branches' fence rows settled, its business rows and its outbox deliveries, and nothing pending
 * once delivered; an XID nobody knows shows nothing; bad input is refused before any query.
 */
@ExtendWith(SharedTopology.class)
class TxCommandIT {

  @Test
  void aCommittedOrdersTimeline_joinsFenceRowsBusinessRowsAndDeliveries_onTheXid()
      throws Exception {
    Clients clients = SharedTopology.get().clients();
    long user = 950_000 + System.currentTimeMillis() % 40_000;
    clients.points(SharedTopology.A).grant(SharedTopology.A, user, 1_000, "test TxCommandIT");
    clients.points(SharedTopology.B).grant(SharedTopology.B, user, 1_000, "test TxCommandIT");
    String orderNo = "tx-" + UUID.randomUUID().toString().substring(0, 12);
    OrderResult order =
        clients
            .mall()
            .placeOrder(
                new PlaceOrderRequest(
                    orderNo,
                    user,
                    List.of(
                        new OrderLine(SharedTopology.A, 3), new OrderLine(SharedTopology.B, 2))));
    assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);

    String[] shown = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              shown[0] = run("show", order.xid());
              return shown[0].contains("pending: nothing");
            });

    String timeline = shown[0];
    assertThat(timeline).contains("xid " + order.xid()).contains("tc: no session");
    // two points branches, the portal's, the mall's order branch: every fence row settled
    assertThat(timeline.split("→ committed", -1)).hasSize(5);
    assertThat(timeline).doesNotContain("still tried");
    assertThat(timeline).contains("mall_order").contains(orderNo);
    // ORDER_PLACED to 4 groups and POINTS_SPENT to 3
    assertThat(timeline.split(" DELIVERED attempts", -1).length - 1).isEqualTo(7);
  }

  @Test
  void anXidNobodyKnows_showsNothing_andNothingPending() throws Exception {
    String timeline = run("show", "127.0.0.1:8091:1");

    assertThat(timeline).contains("tc: no session").contains("pending: nothing");
  }

  @Test
  void list_printsTheSessionsTheTcHolds() throws Exception {
    assertThat(run("list")).containsPattern("\\d+ global transactions in the TC");
  }

  @Test
  void badInput_isRefusedBeforeAnyQuery() {
    TxCommand tx =
        new TxCommand(SharedTopology.get().config(), new PrintStream(new ByteArrayOutputStream()));

    assertThatThrownBy(() -> tx.run(List.of("show", "x'; DROP TABLE t; --"), Map.of()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not an XID");
    assertThatThrownBy(() -> tx.run(List.of("list"), Map.of("older-than", "5 years")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--older-than");
    assertThatThrownBy(() -> tx.run(List.of("resolve", "127.0.0.1:8091:1"), Map.of()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("usage: tx resolve <xid> --commit|--rollback");
    assertThatThrownBy(
            () ->
                tx.run(
                    List.of("resolve", "127.0.0.1:8091:1"),
                    Map.of("commit", "true", "rollback", "true", "reason", "both ways")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("usage: tx resolve");
    assertThatThrownBy(
            () -> tx.run(List.of("resolve", "127.0.0.1:8091:1"), Map.of("commit", "true")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--reason");
  }

  @Test
  void parkAndRetry_moveTheXidsTriedRows_onlyWithAReasonAndYes_andRecordEachRepair()
      throws Exception {
    TopologyConfig config = SharedTopology.get().config();
    JdbcTemplate jdbc = config.serverJdbc();
    String fence = config.schemaOfChannel(SharedTopology.A) + ".tcc_fence_log";
    String xid = "127.0.0.1:8091:" + (900_000_000L + System.nanoTime() % 1_000_000);
    jdbc.update("INSERT INTO " + fence + " VALUES (?, 41, 'pointsFreeze', 1, NOW(3), NOW(3))", xid);
    jdbc.update("INSERT INTO " + fence + " VALUES (?, 42, 'pointsFreeze', 2, NOW(3), NOW(3))", xid);
    Path record = config.runDir().resolve(TxCommand.REPAIR_LOG);
    long recordedBefore = Files.exists(record) ? Files.readAllLines(record).size() : 0;
    java.util.function.IntSupplier branch41 =
        () ->
            jdbc.queryForObject(
                "SELECT status FROM " + fence + " WHERE xid = ? AND branch_id = 41",
                Integer.class,
                xid);

    assertThatThrownBy(() -> run(Map.of(), "park", xid))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--reason");
    String dryRun = run(Map.of("reason", "merchant bug ticket 42"), "park", xid);
    assertThat(dryRun).contains("1 branch(es) tried → parked").contains("dry run: nothing changed");
    assertThat(branch41.getAsInt()).isEqualTo(1);

    String parked = run(Map.of("reason", "merchant bug ticket 42", "yes", "true"), "park", xid);
    assertThat(parked).contains("branch 41: parked");
    assertThat(branch41.getAsInt()).isEqualTo(TxCommand.PARKED);
    assertThat(run("show", xid)).contains("parked (bin/txc tx retry releases it)");
    // the committed branch is left alone
    assertThat(
            jdbc.queryForObject(
                "SELECT status FROM " + fence + " WHERE xid = ? AND branch_id = 42",
                Integer.class,
                xid))
        .isEqualTo(2);

    String retried = run(Map.of("reason", "fix deployed", "yes", "true"), "retry", xid);
    assertThat(retried).contains("branch 41: tried");
    assertThat(branch41.getAsInt()).isEqualTo(1);
    List<String> lines = Files.readAllLines(record);
    assertThat(lines).hasSize((int) recordedBefore + 2);
    assertThat(lines.get(lines.size() - 2))
        .contains("\"action\":\"park\"", "\"xid\":\"" + xid + "\"")
        .contains("\"reason\":\"merchant bug ticket 42\"")
        .contains("\"before\":\"tried\",\"after\":\"parked\"");
    assertThat(lines.get(lines.size() - 1))
        .contains("\"action\":\"retry\"", "\"reason\":\"fix deployed\"");
    // nothing left to retry
    assertThat(run(Map.of("reason", "again", "yes", "true"), "retry", xid))
        .contains("nothing to retry");
    jdbc.update("DELETE FROM " + fence + " WHERE xid = ?", xid);
  }

  /**
   * A session the TC decided to commit and cannot finish: its one TCC branch is of a resource no
   * process serves, as when its participant is gone for good, so the TC retries it every second.
   * {@code resolve --commit} leaves it while nothing proves the Confirm ran (no fence row, a {@code
   * tried} row), the TC itself refuses the wrong direction, a branch not in the session and a
   * caller without the console's login; once the fence row says {@code committed}, the branch is
   * taken out, the TC ends the session, and the repair is recorded.
   */
  @Test
  void resolveCommit_takesOutOnlyABranchWhoseFenceRowIsCommitted_andTheTcEndsTheSession()
      throws Exception {
    TopologyConfig config = SharedTopology.get().config();
    JdbcTemplate jdbc = config.serverJdbc();
    String fence = config.schemaOfChannel(SharedTopology.A) + ".tcc_fence_log";
    String[] xidAndBranch = unreachableBranchSession(true);
    String xid = xidAndBranch[0];
    long branch = Long.parseLong(xidAndBranch[1]);
    Map<String, String> commit = Map.of("commit", "true", "reason", "participant retired, INC-7");
    Path record = config.runDir().resolve(TxCommand.REPAIR_LOG);
    long recordedBefore = Files.exists(record) ? Files.readAllLines(record).size() : 0;
    try {
      assertThatThrownBy(
              () -> run(Map.of("rollback", "true", "reason", "wrong way"), "resolve", xid))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("is CommitRetrying");
      assertThat(run(commit, "resolve", xid))
          .contains("fence none → left: no fence row")
          .contains("nothing to resolve");
      jdbc.update(
          "INSERT INTO " + fence + " VALUES (?, ?, 'txcResolveProbe', 1, NOW(3), NOW(3))",
          xid,
          branch);
      assertThat(run(commit, "resolve", xid))
          .contains("tried → left: phase two not applied")
          .contains("nothing to resolve");

      // the TC checks for itself: a caller of its API is not trusted to have checked anything
      TcConsole console = new TcConsole(config);
      TcConsole.Resolved wrongWay = console.resolve(xid, "rollback", List.of(branch), "probe");
      assertThat(wrongWay.httpStatus()).isEqualTo(409);
      assertThat(wrongWay.message()).contains("not retrying its rollback");
      TcConsole.Resolved notInIt = console.resolve(xid, "commit", List.of(branch + 1), "probe");
      assertThat(notInIt.httpStatus()).isEqualTo(409);
      assertThat(notInIt.message()).contains("is not in session");
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(config.consoleUrl() + "/api/v1/txc/resolve"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"xid\":\""
                                  + xid
                                  + "\",\"direction\":\"commit\",\"branchIds\":["
                                  + branch
                                  + "],\"reason\":\"no login\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isIn(401, 403);
      assertThat(status(xid)).isEqualTo("CommitRetrying");

      jdbc.update("UPDATE " + fence + " SET status = 2 WHERE xid = ?", xid);
      String dryRun = run(commit, "resolve", xid);
      assertThat(dryRun)
          .contains("committed → resolve: its commit is applied")
          .contains("dry run: nothing changed");
      assertThat(status(xid)).isEqualTo("CommitRetrying");

      String resolved = run(withYes(commit), "resolve", xid);
      assertThat(resolved)
          .contains("tc: removed [" + branch + "], remaining []")
          .contains("session ended Committed");
      assertThat(new TcConsole(config).sessions(xid)).isEmpty();
      List<String> lines = Files.readAllLines(record);
      assertThat(lines).hasSize((int) recordedBefore + 1);
      assertThat(lines.get(lines.size() - 1))
          .contains("\"action\":\"resolve\"", "\"xid\":\"" + xid + "\"")
          .contains("\"direction\":\"commit\"", "\"tcBefore\":\"CommitRetrying\"")
          .contains("\"reason\":\"participant retired, INC-7\"")
          .contains("\"removed\":[" + branch + "]");
    } finally {
      jdbc.update("DELETE FROM " + fence + " WHERE xid = ?", xid);
    }
  }

  /**
   * The rollback way: a session whose Cancel cannot be delivered resolves once the branch's fence
   * row is {@code suspended} (the participant's record of a Cancel before any Try, which also
   * refuses a late Try), and the TC ends it rolled back.
   */
  @Test
  void resolveRollback_takesOutABranchWhoseFenceRowIsSuspended_andTheTcEndsTheSession()
      throws Exception {
    TopologyConfig config = SharedTopology.get().config();
    JdbcTemplate jdbc = config.serverJdbc();
    String fence = config.schemaOfChannel(SharedTopology.A) + ".tcc_fence_log";
    String[] xidAndBranch = unreachableBranchSession(false);
    String xid = xidAndBranch[0];
    Map<String, String> rollback = Map.of("rollback", "true", "reason", "channel retired");
    try {
      assertThatThrownBy(() -> run(Map.of("commit", "true", "reason", "wrong way"), "resolve", xid))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("is RollbackRetrying");
      jdbc.update(
          "INSERT INTO " + fence + " VALUES (?, ?, 'txcResolveProbe', 4, NOW(3), NOW(3))",
          xid,
          Long.parseLong(xidAndBranch[1]));

      assertThat(run(withYes(rollback), "resolve", xid)).contains("session ended Rollbacked");
      assertThat(new TcConsole(config).sessions(xid)).isEmpty();
    } finally {
      jdbc.update("DELETE FROM " + fence + " WHERE xid = ?", xid);
    }
  }

  /**
   * Begins a global transaction from this JVM, registers one TCC branch of a resource nobody
   * serves, and commits or rolls it back: the TC cannot reach the branch and keeps the session
   * retrying. Returns the XID and the branch id once the TC shows the session retrying.
   */
  private static String[] unreachableBranchSession(boolean commit) throws Exception {
    SharedTopology.seataClient();
    GlobalTransaction tx = GlobalTransactionContext.createNew();
    long branch;
    try {
      tx.begin(60_000, "resolve-probe");
      branch =
          DefaultResourceManager.get()
              .branchRegister(
                  BranchType.TCC,
                  "txcResolveProbe",
                  null,
                  tx.getXid(),
                  "{\"actionContext\":{}}",
                  null);
      try {
        if (commit) {
          tx.commit();
        } else {
          tx.rollback();
        }
      } catch (TransactionException expected) {
        // the TC could not deliver phase two: it queued the session for retry
      }
    } finally {
      RootContext.unbind();
    }
    String xid = tx.getXid();
    String retrying = commit ? "CommitRetrying" : "RollbackRetrying";
    await().atMost(Duration.ofSeconds(30)).until(() -> retrying.equals(status(xid)));
    return new String[] {xid, String.valueOf(branch)};
  }

  private static String status(String xid) throws Exception {
    List<TcConsole.GlobalSession> held = new TcConsole(SharedTopology.get().config()).sessions(xid);
    return held.isEmpty() ? "none" : held.get(0).status();
  }

  private static Map<String, String> withYes(Map<String, String> options) {
    Map<String, String> with = new java.util.HashMap<>(options);
    with.put("yes", "true");
    return with;
  }

  private static String run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private static String run(Map<String, String> options, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TxCommand(
            SharedTopology.get().config(), new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(List.of(args), options);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
