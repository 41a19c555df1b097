package io.txcenter.fund.tcc;

import io.txcenter.fund.FundCatalog;
import io.txcenter.fund.api.FundErrorCode;
import io.txcenter.fund.api.FundException;
import io.txcenter.fund.store.FundMapper;
import io.txcenter.fund.store.PurchaseRecord;
import io.txcenter.kit.tcc.BranchRecord;
import io.txcenter.kit.tcc.BranchRecordTcc;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The wallet-purchase TCC action on the fund schema, inside Seata's fence: each phase shares one
 * local transaction with its {@code tcc_fence_log} row. The wallet fund's NAV is 1 cent per unit,
 * so the cash buys exactly {@code amount} units.
 */
public class WalletPurchaseTcc extends BranchRecordTcc<PurchaseRecord>
    implements WalletPurchaseAction {

  private static final Logger log = LoggerFactory.getLogger(WalletPurchaseTcc.class);

  private final FundMapper funds;

  public WalletPurchaseTcc(FundMapper funds) {
    this.funds = funds;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected WalletPurchaseTcc() {
    this.funds = null;
  }

  // Seata reads the context parameters from the proxied method, the implementation's: without
  // them here Confirm and Cancel would get no values and always read the purchase row
  @Override
  public void tryPurchase(
      BusinessActionContext context,
      @BusinessActionContextParameter(paramName = "purchaseNo") String purchaseNo,
      @BusinessActionContextParameter(paramName = "investorId") String investorId,
      @BusinessActionContextParameter(paramName = "targetFund") String targetFund,
      @BusinessActionContextParameter(paramName = "amount") long amount) {
    if (funds.freezeCash(investorId, amount) == 0) {
      throw funds.findInvestor(investorId) == null
          ? new FundException(
              FundErrorCode.UNKNOWN_INVESTOR, "investor [" + investorId + "] not found")
          : new FundException(
              FundErrorCode.INSUFFICIENT_CASH,
              "investor [" + investorId + "] has less than [" + amount + "] cents of cash");
    }
    try {
      funds.insertPurchase(
          new PurchaseRecord(
              purchaseNo,
              context.getXid(),
              context.getBranchId(),
              investorId,
              targetFund,
              amount,
              BranchRecord.TRIED,
              0,
              "NONE",
              0,
              0,
              0));
    } catch (DuplicateKeyException e) {
      // the purchase number is taken (the initiator compares the content) or the branch repeated
      throw new FundException(
          FundErrorCode.DUPLICATE_RESERVATION, "purchase [" + purchaseNo + "] already exists");
    }
    log.info(
        "cash frozen xid={} branch={} purchase={} investor={} amount={}",
        context.getXid(),
        context.getBranchId(),
        purchaseNo,
        investorId,
        amount);
  }

  @Override
  protected PurchaseRecord recordFromContext(BusinessActionContext c) {
    return new PurchaseRecord(
        contextValue(c, "purchaseNo", String.class),
        c.getXid(),
        c.getBranchId(),
        contextValue(c, "investorId", String.class),
        contextValue(c, "targetFund", String.class),
        contextValue(c, "amount", Long.class),
        BranchRecord.TRIED,
        0,
        "NONE",
        0,
        0,
        0);
  }

  @Override
  protected boolean settleIfTried(PurchaseRecord expected, String status) {
    return funds.settlePurchaseIfTried(expected, status, walletUnits(expected, status)) == 1;
  }

  @Override
  protected PurchaseRecord findForUpdate(String xid, long branchId) {
    return funds.findBranchForUpdate(xid, branchId);
  }

  @Override
  protected boolean apply(Phase phase, PurchaseRecord p) {
    if (phase == Phase.CANCEL) {
      return funds.releaseFrozen(p.investorId(), p.amount()) == 1;
    }
    if (funds.spendFrozen(p.investorId(), p.amount()) != 1) {
      return false;
    }
    funds.addUnits(p.investorId(), FundCatalog.WALLET, p.amount());
    return true;
  }

  @Override
  protected void markSettled(PurchaseRecord p, String status) {
    funds.settlePurchase(p.xid(), p.branchId(), status, walletUnits(p, status));
  }

  /** A confirmed purchase holds the wallet units its cash bought (NAV 1 cent); a cancelled none. */
  private static long walletUnits(PurchaseRecord p, String status) {
    return BranchRecord.CONFIRMED.equals(status) ? p.amount() : 0;
  }
}
