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
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TccReservationContract;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The account-credit action on a real database, driven through Seata's fence phase by phase. */
class AccountCreditFenceIT extends TccReservationContract {

  @Test
  void givenAMillionCharacterAccountOrBizNo_theRefusalEchoesOnly64Characters() {
    String huge = "b".repeat(1_000_000);

    assertThatThrownBy(() -> service.tryCredit(new CreditRequest("acc-x", huge, 5)))
        .isInstanceOfSatisfying(
            AccountException.class,
            e -> assertThat(e.code()).isEqualTo(AccountErrorCode.INVALID_REQUEST))
        .hasMessageContaining("b".repeat(64) + "…(1000000 chars)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> service.balance(huge))
        .isInstanceOfSatisfying(
            AccountException.class,
            e -> {
              assertThat(e.code()).isEqualTo(AccountErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).hasSizeLessThan(200);
              assertThat(e.accountId()).hasSizeLessThan(100);
            });
  }

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
    org.springframework.transaction.PlatformTransactionManager transactions =
        TccFence.install(dataSource);
    accounts =
        MyBatisStore.open(dataSource, "mapper/AccountMapper.xml").getMapper(AccountMapper.class);
    action = new AccountCreditTcc(accounts);
    fence = new FenceHarness(action, AccountCreditAction.NAME);
    service = new AccountServiceImpl(action, accounts, transactions);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Override
  protected JdbcTemplate jdbc() {
    return jdbc;
  }

  @Override
  protected FenceHarness fence() {
    return fence;
  }

  @Override
  protected String newResource(long amount) {
    return accountWith(amount);
  }

  @Override
  protected void tryReserve(BusinessActionContext branch, String account, long amount) {
    credit(branch, account, amount);
  }

  @Override
  protected void tryReserveFor(
      BusinessActionContext branch, String account, long amount, String bizNo) {
    action.tryCredit(branch, account, bizNo, amount);
  }

  @Override
  protected List<Long> state(String account) {
    return balance(account);
  }

  /** A tried credit is only pending; a confirmed one joins the balance. */
  @Override
  protected List<Long> expectedState(long openingBalance, long pending, long credited) {
    return List.of(openingBalance + credited, pending, credited);
  }

  @Override
  protected String reservationTable() {
    return "account_credit";
  }

  @Test
  void theSchema_isBuiltFromThisModulesDdlSet_underTheScriptNamesItAlwaysHad() {
    assertThat(
            jdbc.queryForList(
                "SELECT script FROM schema_version WHERE set_name = 'account' ORDER BY script",
                String.class))
        .containsExactly(
            "V001__account.sql",
            "V002__account_opening.sql",
            "V003__account_one_credit_per_payment.sql");
    assertThat(getClass().getClassLoader().getResource("sql/account/V001__account.sql"))
        .asString()
        .contains("account-service");
  }

  @Test
  void givenTriedButUnconfirmed_credit_isPendingAndNotInBalance() {
    String account = accountWith(1_000);
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> credit(branch, account, 250));

    assertThat(service.balance(account)).isEqualTo(new AccountBalance(account, 1_000, 250, 1_000));
    assertThat(balance(account)).isEqualTo(List.of(1_000L, 250L, 0L));
    assertThat(reservationStatus(branch)).isEqualTo("TRIED");
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
    assertThat(reservationRows(branch)).isZero();
    assertThat(accountRows(account)).isZero();
  }

  @Test
  void givenOpenAccount_openAgain_keepsTheStoredRow() {
    String account = accountWith(700);

    AccountBalance again = service.open(account, 5, "test");

    assertThat(again).isEqualTo(new AccountBalance(account, 700, 0, 700));
    assertThat(balance(account)).isEqualTo(List.of(700L, 0L, 0L));
  }

  @Test
  void open_recordsWhoWhenWhy_once() {
    String account = "acc-" + ACCOUNTS.incrementAndGet();

    service.open(account, 250, "merchant onboarding #17");
    service.open(account, 999, "a second opening is no opening");

    assertThat(
            jdbc.queryForList(
                "SELECT opening_balance, operator, reason FROM account_opening"
                    + " WHERE account_id = ? AND opened_at IS NOT NULL",
                account))
        .containsExactly(
            Map.of(
                "opening_balance", 250L,
                "operator", "local",
                "reason", "merchant onboarding #17"));
  }

  @Test
  void open_withoutAnAcceptableReason_isRefused_andOpensNothing() {
    String account = "acc-" + ACCOUNTS.incrementAndGet();

    for (String reason : new String[] {null, " ", "x".repeat(129), "drop\ttable"}) {
      assertServiceCode(() -> service.open(account, 5, reason), AccountErrorCode.INVALID_REQUEST);
    }

    assertThat(accountRows(account)).isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM account_opening WHERE account_id = ?", Long.class, account))
        .isZero();
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
    assertServiceCode(
        () -> service.open(account + "-x", -1, "test"), AccountErrorCode.INVALID_AMOUNT);
    assertServiceCode(
        () -> service.open(account + "-x", AccountService.MAX_AMOUNT + 1, "test"),
        AccountErrorCode.INVALID_AMOUNT);
    assertServiceCode(() -> service.open("bad id!", 0, "test"), AccountErrorCode.INVALID_REQUEST);
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
    AccountBalance opened = service.open(account, openingBalance, "test");
    assertThat(opened).isEqualTo(new AccountBalance(account, openingBalance, 0, openingBalance));
    return account;
  }

  /**
   * [balance, pendingCredit, confirmed credits] of the account, after checking the invariant:
   * balance = opening + confirmed credits, pendingCredit = tried credits.
   */
  private static List<Long> balance(String account) {
    AccountBalance b = accounts.find(account);
    long confirmed = creditSum(account, "CONFIRMED");
    assertThat(b.balance()).isEqualTo(b.openingBalance() + confirmed);
    assertThat(b.pendingCredit()).isEqualTo(creditSum(account, "TRIED"));
    return List.of(b.balance(), b.pendingCredit(), confirmed);
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
}
