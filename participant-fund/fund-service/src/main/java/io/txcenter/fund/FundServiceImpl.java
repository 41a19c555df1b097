package io.txcenter.fund;

import static io.txcenter.fund.api.FundErrorCode.FUND_NOT_OPEN;
import static io.txcenter.fund.api.FundErrorCode.INSUFFICIENT_CASH;
import static io.txcenter.fund.api.FundErrorCode.INVALID_AMOUNT;
import static io.txcenter.fund.api.FundErrorCode.INVALID_REQUEST;

import io.txcenter.fund.api.DiscountPurchase;
import io.txcenter.fund.api.FundBought;
import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.FundException;
import io.txcenter.fund.api.FundInfo;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.InvestorPosition;
import io.txcenter.fund.api.PurchaseRequest;
import io.txcenter.fund.api.PurchaseResult;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.fund.api.SecondaryStatus;
import io.txcenter.fund.store.FundMapper;
import io.txcenter.fund.store.Holding;
import io.txcenter.fund.store.InvestorRow;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.fund.tcc.WalletPurchaseAction;
import io.txcenter.initiator.GlobalTransactionTemplate;
import io.txcenter.initiator.GlobalWork;
import io.txcenter.kit.OperatorAction;
import io.txcenter.kit.tcc.TryGuard;
import io.txcenter.kit.validation.Require;
import io.txcenter.outbox.Outbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fund service: the initiator (TM) of the main purchase, which runs one global transaction —
 * the wallet purchase's Try, then its two events in the outbox — and commits or rolls back; and
 * what investors and operators read and switch. Every refusal is checked before the transaction
 * where it can be, and again by the Try's guarded update where it must be.
 */
public final class FundServiceImpl implements FundService {

  private static final Logger log = LoggerFactory.getLogger(FundServiceImpl.class);

  private static final TryGuard<FundException> GUARD =
      new TryGuard<>(log, "fund", "purchase", FundException.class, FundException::code);
  private static final Function<TryGuard.Outcome, FundErrorCode> CODES =
      TryGuard.codesNamedAlike(FundErrorCode.class);

  private final FundMapper funds;
  private final WalletPurchaseAction walletPurchase;
  private final Outbox outbox;
  private final GlobalTransactionTemplate transactions;
  private final TransactionTemplate local;

  public FundServiceImpl(
      FundMapper funds,
      WalletPurchaseAction walletPurchase,
      Outbox outbox,
      PlatformTransactionManager transactionManager,
      int timeoutMillis) {
    this.funds = funds;
    this.walletPurchase = walletPurchase;
    this.outbox = outbox;
    this.transactions = new GlobalTransactionTemplate(log, "purchase", "purchase", timeoutMillis);
    this.local = new TransactionTemplate(transactionManager);
  }

  @Override
  public PurchaseResult buy(PurchaseRequest request) {
    Require.present("request", request, FundServiceImpl::invalid);
    String purchaseNo = Require.key("purchaseNo", request.purchaseNo(), FundServiceImpl::invalid);
    Require.key("investorId", request.investorId(), FundServiceImpl::invalid);
    Require.key("targetFund", request.targetFund(), FundServiceImpl::invalid);
    Require.inRange("amountCents", request.amountCents(), 1, MAX_AMOUNT, amountRefusal());
    PurchaseRecord existing = funds.findPurchase(purchaseNo);
    if (existing != null) {
      return repeated(existing, request);
    }
    FundInfo target = fund(request.targetFund());
    if (!"TARGET".equals(target.kind()) || !target.onSale() || !fund(FundCatalog.WALLET).open()) {
      throw new FundException(
          FUND_NOT_OPEN, "fund [" + target.fundCode() + "] is not open for discount purchases");
    }
    Require.inRange(
        "amountCents", request.amountCents(), target.navCents(), MAX_AMOUNT, amountRefusal());
    long cash = investorRow(request.investorId()).cash();
    if (cash < request.amountCents()) {
      throw new FundException(
          INSUFFICIENT_CASH,
          "investor ["
              + request.investorId()
              + "] has ["
              + cash
              + "] cents of cash, the purchase needs ["
              + request.amountCents()
              + "]");
    }
    return transactions.execute("discountPurchase", purchaseNo, work(request));
  }

  private GlobalWork<PurchaseResult> work(PurchaseRequest request) {
    String purchaseNo = request.purchaseNo();
    return new GlobalWork<>() {
      @Override
      public RuntimeException coordinatorUnavailable(Exception cause) {
        return new FundException(
            FundErrorCode.SERVICE_UNAVAILABLE, "transaction coordinator: " + cause.getMessage());
      }

      @Override
      public void run(String xid) {
        GUARD.run(
            "tryPurchase",
            "purchase",
            purchaseNo,
            "investor=" + request.investorId(),
            (outcome, message) -> new FundException(CODES.apply(outcome), message),
            () ->
                walletPurchase.tryPurchase(
                    null,
                    purchaseNo,
                    request.investorId(),
                    request.targetFund(),
                    request.amountCents()));
        outbox.publish(
            purchaseNo,
            List.of(
                FundCatalog.DISCOUNT_PURCHASE.with(
                    new DiscountPurchase(
                        purchaseNo,
                        request.investorId(),
                        request.targetFund(),
                        request.amountCents(),
                        request.amountCents())),
                FundCatalog.FUND_BOUGHT.with(
                    new FundBought(
                        purchaseNo,
                        request.investorId(),
                        request.targetFund(),
                        request.amountCents()))));
      }

      @Override
      public PurchaseResult failed(String xid, RuntimeException cause) {
        PurchaseRecord first = funds.findPurchase(purchaseNo);
        if (first != null && !first.xid().equals(xid)) {
          return repeated(first, request); // lost the purchase number to a concurrent call
        }
        log.info(
            "purchase rolled back xid={} purchase={} cause={}", xid, purchaseNo, cause.toString());
        if (cause instanceof FundException refusal) {
          throw refusal;
        }
        // the transaction calls no other service: anything else (the outbox, the store) failed it
        throw new FundException(
            FundErrorCode.TRANSACTION_FAILED,
            "purchase [" + purchaseNo + "] rolled back: " + cause.getMessage());
      }

      @Override
      public PurchaseResult committed(String xid, Exception notAcknowledged) {
        if (notAcknowledged == null) {
          log.info("purchase committed xid={} purchase={}", xid, purchaseNo);
        }
        return result(funds.findPurchase(purchaseNo), false);
      }
    };
  }

  /** The first outcome for the same content; {@code DUPLICATE_PURCHASE} for any other. */
  private PurchaseResult repeated(PurchaseRecord first, PurchaseRequest request) {
    if (!first.investorId().equals(request.investorId())
        || !first.targetFund().equals(request.targetFund())
        || first.amount() != request.amountCents()) {
      log.warn(
          "purchase number reused with other content refused purchase={} firstXid={}",
          first.purchaseNo(),
          first.xid());
      throw new FundException(
          FundErrorCode.DUPLICATE_PURCHASE,
          "purchase ["
              + first.purchaseNo()
              + "] was already made with other content; use a new purchase number");
    }
    return result(first, true);
  }

  @Override
  public PurchaseResult purchase(String purchaseNo) {
    Require.key("purchaseNo", purchaseNo, FundServiceImpl::invalid);
    PurchaseRecord record = funds.findPurchase(purchaseNo);
    if (record == null) {
      throw new FundException(FundErrorCode.UNKNOWN_PURCHASE, "no purchase [" + purchaseNo + "]");
    }
    return result(record, false);
  }

  @Override
  public List<FundInfo> funds() {
    return funds.funds();
  }

  @Override
  public FundInfo setOpen(String fundCode, boolean open, String reason) {
    fund(Require.key("fundCode", fundCode, FundServiceImpl::invalid));
    String operator = operatorAction(reason);
    local.executeWithoutResult(
        status -> {
          funds.setOpen(fundCode, open);
          funds.insertSwitch(fundCode, open, operator, reason);
        });
    log.info("fund {} fund={} operator={}", open ? "opened" : "closed", fundCode, operator);
    return funds.findFund(fundCode);
  }

  @Override
  public InvestorPosition investor(String investorId) {
    InvestorRow row = investorRow(Require.key("investorId", investorId, FundServiceImpl::invalid));
    Map<String, Long> units = new LinkedHashMap<>();
    for (Holding holding : funds.holdings(investorId)) {
      units.put(holding.fundCode(), holding.units());
    }
    return new InvestorPosition(investorId, row.cash(), row.frozen(), row.openingCash(), units);
  }

  @Override
  public InvestorPosition openInvestor(String investorId, long cashCents, String reason) {
    Require.key("investorId", investorId, FundServiceImpl::invalid);
    Require.inRange("cashCents", cashCents, 0, MAX_OPENING, amountRefusal());
    String operator = operatorAction(reason);
    boolean created =
        Boolean.TRUE.equals(
            local.execute(
                status -> {
                  if (funds.openInvestor(investorId, cashCents) == 0) {
                    return false;
                  }
                  // the cause of the opening cash, in the same local transaction
                  funds.insertOpening(investorId, cashCents, operator, reason);
                  return true;
                }));
    log.info(
        "investor opened investor={} cash={} created={} operator={}",
        investorId,
        cashCents,
        created,
        operator);
    return investor(investorId);
  }

  private FundInfo fund(String fundCode) {
    FundInfo fund = funds.findFund(fundCode);
    if (fund == null) {
      throw new FundException(FundErrorCode.UNKNOWN_FUND, "fund [" + fundCode + "] not found");
    }
    return fund;
  }

  private InvestorRow investorRow(String investorId) {
    InvestorRow row = funds.findInvestor(investorId);
    if (row == null) {
      throw new FundException(
          FundErrorCode.UNKNOWN_INVESTOR, "investor [" + investorId + "] not found");
    }
    return row;
  }

  private static String operatorAction(String reason) {
    String problem = OperatorAction.reasonProblem(reason);
    if (problem != null) {
      throw invalid(problem);
    }
    return OperatorAction.operator();
  }

  static PurchaseResult result(PurchaseRecord p, boolean duplicate) {
    return new PurchaseResult(
        p.purchaseNo(),
        p.investorId(),
        p.targetFund(),
        p.amount(),
        PurchaseStatus.valueOf(p.status()),
        SecondaryStatus.valueOf(p.secondary()),
        p.walletUnits(),
        p.targetUnits(),
        p.redeemedUnits(),
        p.fee(),
        p.xid(),
        duplicate);
  }

  private static FundException invalid(String message) {
    return new FundException(INVALID_REQUEST, message);
  }

  private static Function<String, FundException> amountRefusal() {
    return message -> new FundException(INVALID_AMOUNT, message);
  }
}
