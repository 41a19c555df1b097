package io.txcenter.fund;

import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.FundException;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.fund.store.FundMapper;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.fund.tcc.WalletPurchaseAction;
import io.txcenter.fund.tcc.WalletPurchaseTcc;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.Settings;
import io.txcenter.kit.ZooKeeperClient;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.kit.rpc.ErrorBoundary;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.RecordCheck;
import io.txcenter.outbox.SubscriptionRegistry;
import io.txcenter.outbox.TagExpression;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.OutboxCheck;
import java.util.List;

/**
 * The fund service of the fund company: initiator and participant of the main purchase, owner of
 * the fund outbox, and the secondary purchase's consumer. Settings: {@code txc.jdbc.url} (the fund
 * schema), {@code txc.dubbo.port} (20903), {@code txc.zk.address}, {@code txc.fund.tx-timeout.ms}
 * (30000).
 */
public final class FundMain {

  private FundMain() {}

  /**
   * The business check of the fund outbox: a purchase's events committed if and only if the
   * purchase, recorded by the same global transaction, is CONFIRMED.
   */
  static OutboxCheck outboxCheck(FundMapper funds) {
    return RecordCheck.of(
        "purchase",
        funds::findPurchase,
        PurchaseRecord::xid,
        p ->
            switch (PurchaseStatus.valueOf(p.status())) {
              case CONFIRMED -> OutboxCheck.CheckOutcome.COMMITTED;
              case CANCELLED -> OutboxCheck.CheckOutcome.ROLLED_BACK;
              case TRIED -> OutboxCheck.CheckOutcome.UNKNOWN;
            });
  }

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start(
            "fund", List.of("fund", IdempotentConsumer.DDL_SET), "mapper/FundMapper.xml");
    FundMapper funds = runtime.mapper(FundMapper.class);
    WalletPurchaseAction wallet = ParticipantRuntime.tccProxy(new WalletPurchaseTcc(funds));
    Outbox outbox = Outbox.install(runtime, FundCatalog.OUTBOX, FundCatalog.TOPICS);
    FundService service =
        new FundServiceImpl(
            funds,
            wallet,
            outbox,
            runtime.transactionManager(),
            (int) Settings.longValue("txc.fund.tx-timeout.ms", 30_000));
    IdempotentConsumer dedupe =
        new IdempotentConsumer(FundCatalog.SECONDARY_GROUP, runtime.dataSource());
    DubboNode node =
        runtime
            .dubbo(20903)
            .export(
                FundService.class,
                service,
                null,
                Callers.of(FundService.class)
                    .allow("buy", "operator")
                    .allow("purchase", "operator")
                    .allow("funds", "operator")
                    .allow("setOpen", "operator")
                    .allow("investor", "operator")
                    .allow("openInvestor", "operator"),
                ErrorBoundary.namedAlike(FundErrorCode.class, FundException::new))
            .export(
                OutboxCheck.class,
                outboxCheck(funds),
                FundCatalog.OUTBOX,
                Callers.of(OutboxCheck.class).allow("check", "relay"))
            .export(
                EventConsumer.class,
                new SecondaryPurchase(dedupe, funds),
                FundCatalog.SECONDARY_GROUP,
                Callers.of(EventConsumer.class).allow("consume", "relay"));
    new SubscriptionRegistry(ZooKeeperClient.connect(10_000))
        .register("fund", FundCatalog.SECONDARY_GROUP, TagExpression.parse("DISCOUNT_PURCHASE"));
    runtime.serve(node);
  }
}
