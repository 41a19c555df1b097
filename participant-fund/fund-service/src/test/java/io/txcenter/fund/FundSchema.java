package io.txcenter.fund;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.fund.api.FundInfo;
import io.txcenter.fund.store.FundMapper;
import io.txcenter.fund.store.Holding;
import io.txcenter.fund.store.InvestorRow;
import io.txcenter.fund.tcc.WalletPurchaseAction;
import io.txcenter.fund.tcc.WalletPurchaseTcc;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A fresh fund schema on the test database (DDL sets {@code common}, {@code fund}, {@code dedupe},
 * as FundMain migrates them), with Seata's fence installed on it, the real mapper and the
 * proxy-less wallet-purchase action driven through {@link FenceHarness}. One per test class: the
 * fence handler is a JVM singleton, so each class installs its own in {@code @BeforeAll}.
 */
final class FundSchema implements AutoCloseable {

  final HikariDataSource dataSource;
  final JdbcTemplate jdbc;
  final PlatformTransactionManager transactions;
  final FundMapper funds;
  final WalletPurchaseTcc action;
  final FenceHarness fence;

  private FundSchema() {
    dataSource =
        TestDatabase.get().freshSchema("fund", "common", "fund", IdempotentConsumer.DDL_SET);
    jdbc = new JdbcTemplate(dataSource);
    transactions = TccFence.install(dataSource);
    funds = MyBatisStore.open(dataSource, "mapper/FundMapper.xml").getMapper(FundMapper.class);
    action = new WalletPurchaseTcc(funds);
    fence = new FenceHarness(action, WalletPurchaseAction.NAME);
  }

  static FundSchema open() {
    return new FundSchema();
  }

  @Override
  public void close() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  /** A new investor opened with {@code cash} through the mapper, as the operator's opening does. */
  String investorWith(long cash) {
    String investor = key("inv");
    assertThat(funds.openInvestor(investor, cash)).isEqualTo(1);
    return investor;
  }

  /** A purchase of {@code investor}'s {@code amount}, tried and confirmed through the fence. */
  BusinessActionContext confirmedPurchase(
      String purchaseNo, String investor, String target, long amount) {
    BusinessActionContext branch = triedPurchase(purchaseNo, investor, target, amount);
    assertThat(fence.confirm(branch)).isTrue();
    return branch;
  }

  /** A purchase of {@code investor}'s {@code amount}, tried through the fence, not settled. */
  BusinessActionContext triedPurchase(
      String purchaseNo, String investor, String target, long amount) {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> action.tryPurchase(branch, purchaseNo, investor, target, amount));
    return branch;
  }

  /** The investor's units per fund (funds never held are absent). */
  Map<String, Long> units(String investor) {
    Map<String, Long> units = new LinkedHashMap<>();
    for (Holding holding : funds.holdings(investor)) {
      units.put(holding.fundCode(), holding.units());
    }
    return units;
  }

  /**
   * The investor's cash, frozen cash and units, after asserting the audit's invariant: cash +
   * frozen + sum(units * NAV) = opening cash, in exact integers.
   */
  Map<String, Long> position(String investor) {
    InvestorRow row = funds.findInvestor(investor);
    Map<String, Long> position = new LinkedHashMap<>();
    position.put("cash", row.cash());
    position.put("frozen", row.frozen());
    long value = row.cash() + row.frozen();
    for (Map.Entry<String, Long> held : units(investor).entrySet()) {
      FundInfo fund = funds.findFund(held.getKey());
      value += held.getValue() * fund.navCents();
      position.put(held.getKey(), held.getValue());
    }
    assertThat(value).as("value of %s", investor).isEqualTo(row.openingCash());
    return position;
  }

  long rows(String sql, Object... args) {
    return jdbc.queryForObject(sql, Long.class, args);
  }

  /** A fresh business key with {@code prefix}. */
  static String key(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }
}
