package io.txcenter.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.account.api.AccountBalance;
import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.account.api.CreditRequest;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.tcc.AccountCreditAction;
import io.txcenter.account.tcc.AccountCreditTcc;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.testsupport.FenceHarness;
import io.txcenter.testsupport.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The account-credit action on a real database, driven through Seata's fence phase by phase. */
class AccountCreditFenceIT {

  private static final AtomicLong ACCOUNTS = new AtomicLong(1_000);

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static AccountMapper accounts;
  private static AccountCreditTcc action;
  private static FenceHarness fence;
  private static AccountServiceImpl service;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("account", "common", "account");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    accounts =
        MyBatisStore.open(dataSource, "mapper/AccountMapper.xml").getMapper(AccountMapper.class);
    action = new AccountCreditTcc(accounts);
    fence = new FenceHarness(action, AccountCreditAction.NAME);
    service = new AccountServiceImpl(action, accounts);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTry_confirmTwice_creditsTheAmountOnce() {
    String account = accountWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> credit(branch, account, 300));
    assertThat(balance(account)).isEqualTo(List.of(1_000L, 300L));

    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fence.confirm(branch)).isTrue();

    assertThat(balance(account)).isEqualTo(List.of(1_300L, 0L));
    assertThat(creditStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenTry_cancelTwice_creditsNothing() {
    String account = accountWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> credit(branch, account, 400));
    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.cancel(branch)).isTrue();

    assertThat(balance(account)).isEqualTo(List.of(1_000L, 0L));
    assertThat(creditStatus(branch)).isEqualTo("CANCELLED");
    assertThat(fenceStatus(branch)).isEqualTo(3);
  }

  @Test
  void givenCancelBeforeTry_lateTry_isRefusedAndCreditsNothing() {
    String account = accountWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence.cancel(branch)).isTrue(); // empty rollback
    assertThat(fenceStatus(branch)).isEqualTo(4);

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> credit(branch, account, 50)))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).isTrue());
    assertThat(balance(account)).isEqualTo(List.of(1_000L, 0L));
    assertThat(creditRows(branch)).isZero();
  }

  @Test
  void givenConfirmed_cancel_changesNothing() {
    String account = accountWith(500);
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> credit(branch, account, 100));
    fence.confirm(branch);

    assertThat(fence.cancel(branch)).isFalse();

    assertThat(balance(account)).isEqualTo(List.of(600L, 0L));
    assertThat(creditStatus(branch)).isEqualTo("CONFIRMED");
    assertThat(fenceStatus(branch)).isEqualTo(2);
  }

  @Test
  void givenNoTry_confirm_failsSoTheCoordinatorRetries_andChangesNothing() {
    String account = accountWith(500);
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.confirm(branch)).hasMessageContaining("not exists");

    assertThat(balance(account)).isEqualTo(List.of(500L, 0L));
    assertThat(fenceRows(branch)).isZero();
    assertThat(creditRows(branch)).isZero();
  }

  @Test
  void givenConcurrentTryAndCancelOnOneBranch_underRepeatableRead_neitherDeadlocksNorLeaksCredit()
      throws Exception {
    assertThat(serverIsolation()).isEqualTo("REPEATABLE-READ");
    for (int round = 0; round < 25; round++) {
      String account = accountWith(1_000);
      BusinessActionContext branch = FenceHarness.newBranch();
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Boolean> tried =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                try {
                  fence.tryPhase(branch, () -> credit(branch, account, 10));
                  return true;
                } catch (RuntimeException e) {
                  assertThat(FenceErrors.isSuspended(e))
                      .as("refusal, not deadlock: %s", e)
                      .isTrue();
                  return false;
                }
              });
      CompletableFuture<Boolean> cancelled =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                return cancelAsTheCoordinatorDoes(branch);
              });

      assertThat(cancelled.get(30, TimeUnit.SECONDS)).isTrue();
      boolean tryRan = tried.get(30, TimeUnit.SECONDS);
      assertThat(balance(account)).isEqualTo(List.of(1_000L, 0L));
      if (tryRan) {
        assertThat(fenceStatus(branch)).isEqualTo(3);
        assertThat(creditStatus(branch)).isEqualTo("CANCELLED");
      } else {
        // Seata queues the suspended row of a refused Try for deletion: it may already be gone
        assertThat(
                jdbc.queryForList(
                    "SELECT status FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
                    Integer.class,
                    branch.getXid(),
                    branch.getBranchId()))
            .isIn(List.of(), List.of(4));
        assertThat(creditRows(branch)).isZero();
      }
    }
  }

  @Test
  void givenTriedButUnconfirmed_credit_isPendingAndNotInBalance() {
    String account = accountWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> credit(branch, account, 250));

    assertThat(service.balance(account)).isEqualTo(new AccountBalance(account, 1_000, 250, 1_000));
    assertThat(balance(account)).isEqualTo(List.of(1_000L, 250L));
    assertThat(creditStatus(branch)).isEqualTo("TRIED");
    assertThat(fenceStatus(branch)).isEqualTo(1);
  }

  @Test
  void givenUnknownAccount_try_isRefusedWithUnknownAccount_andChangesNothing() {
    String account = "acc-missing-" + ACCOUNTS.incrementAndGet();
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThatThrownBy(() -> fence.tryPhase(branch, () -> credit(branch, account, 1)))
        .isInstanceOfSatisfying(
            AccountException.class,
            e -> {
              assertThat(e.code()).isEqualTo(AccountErrorCode.UNKNOWN_ACCOUNT);
              assertThat(e.accountId()).isEqualTo(account);
            });

    assertThat(fenceRows(branch)).isZero();
    assertThat(creditRows(branch)).isZero();
    assertThat(accountRows(account)).isZero();
  }

  @Test
  void givenOpenAccount_openAgain_keepsTheStoredRow() {
    String account = accountWith(700);

    AccountBalance again = service.open(account, 5);

    assertThat(again).isEqualTo(new AccountBalance(account, 700, 0, 700));
    assertThat(balance(account)).isEqualTo(List.of(700L, 0L));
  }

  @Test
  void givenBadRequests_service_refusesWithStableCodes_andChangesNothing() {
    String account = accountWith(100);
    Map<String, Object> before = jdbc.queryForMap(rowSql(), account);
    long accountsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM account", Long.class);
    long creditsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM account_credit", Long.class);

    assertCode(new CreditRequest(account, "b-1", 0), AccountErrorCode.INVALID_AMOUNT);
    assertCode(new CreditRequest(account, "b-1", -5), AccountErrorCode.INVALID_AMOUNT);
    assertCode(
        new CreditRequest(account, "b-1", AccountService.MAX_AMOUNT + 1),
        AccountErrorCode.INVALID_AMOUNT);
    assertCode(new CreditRequest(account, "bad biz!", 5), AccountErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest(account, null, 5), AccountErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest("bad account!", "b-1", 5), AccountErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest(null, "b-1", 5), AccountErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest("a".repeat(65), "b-1", 5), AccountErrorCode.INVALID_REQUEST);
    assertCode(null, AccountErrorCode.INVALID_REQUEST);
    assertCode(new CreditRequest(account, "b-1", 5), AccountErrorCode.NO_GLOBAL_TRANSACTION);
    assertServiceCode(() -> service.open(account + "-x", -1), AccountErrorCode.INVALID_AMOUNT);
    assertServiceCode(
        () -> service.open(account + "-x", AccountService.MAX_AMOUNT + 1),
        AccountErrorCode.INVALID_AMOUNT);
    assertServiceCode(() -> service.open("bad id!", 0), AccountErrorCode.INVALID_REQUEST);
    assertServiceCode(() -> service.balance("bad id!"), AccountErrorCode.INVALID_REQUEST);
    assertServiceCode(() -> service.balance("acc-nobody"), AccountErrorCode.UNKNOWN_ACCOUNT);

    assertThat(jdbc.queryForMap(rowSql(), account)).isEqualTo(before);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account", Long.class))
        .isEqualTo(accountsBefore);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account_credit", Long.class))
        .isEqualTo(creditsBefore);
  }

  private static void assertCode(CreditRequest request, AccountErrorCode code) {
    assertServiceCode(() -> service.tryCredit(request), code);
  }

  private static void assertServiceCode(Runnable call, AccountErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            AccountException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).startsWith(code.name());
            });
  }

  private static void credit(BusinessActionContext branch, String account, long amount) {
    action.tryCredit(branch, account, "biz-" + branch.getBranchId(), amount);
  }

  private static String accountWith(long openingBalance) {
    String account = "acc-" + ACCOUNTS.incrementAndGet();
    AccountBalance opened = service.open(account, openingBalance);
    assertThat(opened).isEqualTo(new AccountBalance(account, openingBalance, 0, openingBalance));
    return account;
  }

  /**
   * [balance, pendingCredit] of the account, after checking the invariant: balance = opening +
   * confirmed credits, pendingCredit = tried credits.
   */
  private static List<Long> balance(String account) {
    AccountBalance b = accounts.find(account);
    assertThat(b.balance()).isEqualTo(b.openingBalance() + creditSum(account, "CONFIRMED"));
    assertThat(b.pendingCredit()).isEqualTo(creditSum(account, "TRIED"));
    return List.of(b.balance(), b.pendingCredit());
  }

  private static long creditSum(String account, String status) {
    return jdbc.queryForObject(
        "SELECT COALESCE(SUM(amount), 0) FROM account_credit WHERE account_id = ? AND status = ?",
        Long.class,
        account,
        status);
  }

  private static String rowSql() {
    return "SELECT balance, pending_credit, opening_balance, updated_at FROM account"
        + " WHERE account_id = ?";
  }

  private static long accountRows(String account) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM account WHERE account_id = ?", Long.class, account);
  }

  private static String creditStatus(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT status FROM account_credit WHERE xid = ? AND branch_id = ?",
        String.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static long creditRows(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM account_credit WHERE xid = ? AND branch_id = ?",
        Long.class,
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

  private static long fenceRows(BusinessActionContext branch) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM tcc_fence_log WHERE xid = ? AND branch_id = ?",
        Long.class,
        branch.getXid(),
        branch.getBranchId());
  }

  /**
   * The TC retries a Cancel that failed. Racing a Try, Cancel can fail once with the fence's
   * duplicate-key error (its insert of {@code suspended} lost to the Try's {@code tried}); a
   * deadlock (MySQL error 1213) is never acceptable.
   */
  private static boolean cancelAsTheCoordinatorDoes(BusinessActionContext branch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return fence.cancel(branch);
      } catch (RuntimeException e) {
        assertThat(e).hasMessageNotContaining("Deadlock");
        assertThat(FenceErrors.isSuspended(e))
            .as("only a lost insert race may fail: %s", e)
            .isTrue();
        assertThat(attempt).as("cancel retries").isLessThan(3);
      }
    }
  }

  /** MySQL 8 and MariaDB 11 name it transaction_isolation; MariaDB 10 only tx_isolation. */
  private static String serverIsolation() {
    try {
      return jdbc.queryForObject("SELECT @@global.transaction_isolation", String.class);
    } catch (RuntimeException e) {
      return jdbc.queryForObject("SELECT @@global.tx_isolation", String.class);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
