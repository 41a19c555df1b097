package io.txcenter.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.account.api.AccountBalance;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.store.CreditRecord;
import io.txcenter.account.tcc.AccountCreditAction;
import io.txcenter.account.tcc.AccountCreditTcc;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.SettleFromContextContract;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/** The account credit settled from its action context, on a real database through the fence. */
class AccountCreditSettleIT extends SettleFromContextContract {

  private static final AtomicLong ACCOUNTS = new AtomicLong(5_000);
  private static final AtomicLong READS = new AtomicLong();

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static AccountMapper accounts;
  private static AccountCreditTcc action;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("asettle", "common", "account");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    accounts =
        MyBatisStore.open(dataSource, "mapper/AccountMapper.xml").getMapper(AccountMapper.class);
    action =
        new AccountCreditTcc(accounts) {
          @Override
          protected CreditRecord findForUpdate(String xid, long branchId) {
            READS.incrementAndGet();
            return super.findForUpdate(xid, branchId);
          }
        };
    fence = new FenceHarness(action, AccountCreditAction.NAME);
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
  protected Object action() {
    return action;
  }

  @Override
  protected String tryMethod() {
    return "tryCredit";
  }

  @Override
  protected Object[] tryArguments(BusinessActionContext branch, String account, long amount) {
    return new Object[] {account, "pay-" + branch.getBranchId(), amount};
  }

  @Override
  protected String newResource(long amount) {
    String account = "acc-s-" + ACCOUNTS.incrementAndGet();
    assertThat(accounts.open(account, amount)).isEqualTo(1);
    return account;
  }

  /**
   * [balance, pendingCredit, confirmed credits] of the account, after checking the invariant:
   * balance = opening + confirmed credits, pendingCredit = tried credits.
   */
  @Override
  protected List<Long> state(String account) {
    AccountBalance b = accounts.find(account);
    long confirmed = creditSum(account, "CONFIRMED");
    assertThat(b.balance()).isEqualTo(b.openingBalance() + confirmed);
    assertThat(b.pendingCredit()).isEqualTo(creditSum(account, "TRIED"));
    return List.of(b.balance(), b.pendingCredit(), confirmed);
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

  @Override
  protected long recordReads() {
    return READS.get();
  }

  private static long creditSum(String account, String status) {
    return jdbc.queryForObject(
        "SELECT COALESCE(SUM(amount), 0) FROM account_credit WHERE account_id = ? AND status = ?",
        Long.class,
        account,
        status);
  }
}
