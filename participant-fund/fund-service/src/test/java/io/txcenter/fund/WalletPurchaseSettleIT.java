package io.txcenter.fund;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.fund.store.FundMapper;
import io.txcenter.fund.store.InvestorRow;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.fund.tcc.WalletPurchaseAction;
import io.txcenter.fund.tcc.WalletPurchaseTcc;
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
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The wallet purchase settled from its action context, on a real database through the fence. State
 * = [cash, frozen, wallet units], as in {@code WalletPurchaseFenceIT}.
 */
class WalletPurchaseSettleIT extends SettleFromContextContract {

  private static final AtomicLong READS = new AtomicLong();

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static FundMapper funds;
  private static WalletPurchaseTcc action;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("fsettle", "common", "fund");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    funds = MyBatisStore.open(dataSource, "mapper/FundMapper.xml").getMapper(FundMapper.class);
    action =
        new WalletPurchaseTcc(funds) {
          @Override
          protected PurchaseRecord findForUpdate(String xid, long branchId) {
            READS.incrementAndGet();
            return super.findForUpdate(xid, branchId);
          }
        };
    fence = new FenceHarness(action, WalletPurchaseAction.NAME);
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
    return "tryPurchase";
  }

  @Override
  protected Object[] tryArguments(BusinessActionContext branch, String investor, long amount) {
    return new Object[] {"p-" + branch.getBranchId(), investor, "FUND-A", amount};
  }

  @Override
  protected String newResource(long amount) {
    String investor = FundSchema.key("inv");
    assertThat(funds.openInvestor(investor, amount)).isEqualTo(1);
    return investor;
  }

  /** [cash, frozen, wallet units], after checking they add up to the opening cash. */
  @Override
  protected List<Long> state(String investor) {
    InvestorRow row = funds.findInvestor(investor);
    long wallet =
        funds.holdings(investor).stream()
            .filter(h -> h.fundCode().equals(FundCatalog.WALLET))
            .mapToLong(h -> h.units())
            .sum();
    assertThat(row.cash() + row.frozen() + wallet).isEqualTo(row.openingCash());
    return List.of(row.cash(), row.frozen(), wallet);
  }

  @Override
  protected List<Long> expectedState(long opening, long frozen, long walletUnits) {
    return List.of(opening - frozen - walletUnits, frozen, walletUnits);
  }

  @Override
  protected String reservationTable() {
    return "fund_purchase";
  }

  @Override
  protected long recordReads() {
    return READS.get();
  }

  @Test
  void givenTry_confirmWithItsContext_recordsTheWalletUnitsAndTheSecondaryPending() {
    String investor = newResource(5_000);
    BusinessActionContext branch = FenceHarness.newBranch();
    Object[] arguments = tryArguments(branch, investor, 1_234);
    tryPhase(branch, arguments);

    assertThat(fence.confirm(phaseTwo(branch, arguments))).isTrue();

    assertThat(funds.findPurchase("p-" + branch.getBranchId()))
        .isEqualTo(
            new PurchaseRecord(
                "p-" + branch.getBranchId(),
                branch.getXid(),
                branch.getBranchId(),
                investor,
                "FUND-A",
                1_234,
                "CONFIRMED",
                1_234,
                "PENDING",
                0,
                0,
                0));
  }
}
