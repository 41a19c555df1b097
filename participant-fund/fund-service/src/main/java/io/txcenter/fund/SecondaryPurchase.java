package io.txcenter.fund;

import io.txcenter.fund.api.DiscountPurchase;
import io.txcenter.fund.api.FundInfo;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.fund.api.SecondaryStatus;
import io.txcenter.fund.store.FundMapper;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.kit.validation.Ids;
import io.txcenter.outbox.EventType;
import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.ConsumerException.Code;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary purchase, consumer group {@link FundCatalog#SECONDARY_GROUP} of the fund outbox: on
 * {@code DISCOUNT_PURCHASE} it redeems wallet units and buys the target fund at the discount fee
 * (zero), exactly once per purchase number, in one local transaction with its dedupe row. Target
 * units = floor(amount / NAV); the wallet units redeemed are their cost (wallet NAV 1), the change
 * stays in the wallet. A closed target fund, or a main purchase not confirmed yet, is a {@code
 * TRANSIENT} refusal: the relay retries it on its ladder.
 */
public final class SecondaryPurchase implements EventConsumer {

  private static final Logger log = LoggerFactory.getLogger(SecondaryPurchase.class);
  private static final EventType<DiscountPurchase> READER =
      EventType.reader(DiscountPurchase.EVENT, DiscountPurchase.class);

  private final IdempotentConsumer idempotent;
  private final FundMapper funds;

  public SecondaryPurchase(IdempotentConsumer idempotent, FundMapper funds) {
    this.idempotent = idempotent;
    this.funds = funds;
  }

  @Override
  public void consume(EventMessage message) {
    EventMessageCheck.requireWellFormed(message);
    DiscountPurchase event = READER.read(message);
    if (!READER.isNamedIn(message) || !Ids.isKey(event.purchaseNo())) {
      throw new ConsumerException(
          Code.REJECTED,
          "not a discount purchase with a purchaseNo: "
              + EventMessageCheck.shown(message.payload()));
    }
    PurchaseRecord done = funds.findPurchase(event.purchaseNo());
    if (done != null && SecondaryStatus.valueOf(done.secondary()) == SecondaryStatus.DONE) {
      // bought already (by this message or a copy): acknowledge without a dedupe row, so a copy
      // leaves no trace; a purchase not yet DONE is decided under its lock below
      log.info(
          "secondary purchase already done purchase={} message={}",
          event.purchaseNo(),
          message.messageId());
      return;
    }
    IdempotentConsumer.Outcome outcome =
        idempotent.consume(message.messageId(), () -> buyTarget(event.purchaseNo()));
    log.info(
        "secondary purchase {} purchase={} message={}",
        outcome == IdempotentConsumer.Outcome.APPLIED ? "applied" : "already applied",
        event.purchaseNo(),
        message.messageId());
  }

  /** In the dedupe row's local transaction: its failure rolls both back. */
  private void buyTarget(String purchaseNo) {
    PurchaseRecord p = funds.findPurchaseForUpdate(purchaseNo);
    if (p == null || PurchaseStatus.valueOf(p.status()) == PurchaseStatus.CANCELLED) {
      // an event is READY only if its transaction committed, so this purchase cannot be cancelled
      throw new ConsumerException(
          Code.REJECTED, "purchase [" + purchaseNo + "] is missing or cancelled");
    }
    if (PurchaseStatus.valueOf(p.status()) == PurchaseStatus.TRIED) {
      throw new ConsumerException(
          Code.TRANSIENT, "purchase [" + purchaseNo + "]: main purchase not confirmed yet");
    }
    if (SecondaryStatus.valueOf(p.secondary()) == SecondaryStatus.DONE) {
      return; // another message of this purchase (a re-drive of a copy) did it
    }
    FundInfo target = funds.findFund(p.targetFund());
    if (!target.open()) {
      throw new ConsumerException(
          Code.TRANSIENT, "target fund [" + p.targetFund() + "] closed for subscriptions");
    }
    long units = p.amount() / target.navCents();
    long cost = units * target.navCents();
    if (funds.redeemUnits(p.investorId(), FundCatalog.WALLET, cost) != 1) {
      throw new ConsumerException(
          Code.REJECTED,
          "investor [" + p.investorId() + "] holds fewer than [" + cost + "] wallet units");
    }
    funds.addUnits(p.investorId(), p.targetFund(), units);
    if (funds.completeSecondary(purchaseNo, units, cost) != 1) {
      // the row lock above makes this unreachable; if it ever is, buy nothing rather than twice
      throw new ConsumerException(
          Code.TRANSIENT, "purchase [" + purchaseNo + "]: secondary changed under its lock");
    }
    log.info(
        "target fund bought purchase={} investor={} fund={} units={} wallet_redeemed={} xid={}",
        purchaseNo,
        p.investorId(),
        p.targetFund(),
        units,
        cost,
        p.xid());
  }
}
