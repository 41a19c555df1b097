package io.txcenter.fund.store;

import io.txcenter.fund.api.FundInfo;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * MyBatis mapper of the fund schema ({@code mapper/FundMapper.xml}). Guarded updates return 0 rows
 * when their guard fails.
 */
public interface FundMapper {

  FundInfo findFund(@Param("fundCode") String fundCode);

  List<FundInfo> funds();

  int setOpen(@Param("fundCode") String fundCode, @Param("open") boolean open);

  int insertSwitch(
      @Param("fundCode") String fundCode,
      @Param("open") boolean open,
      @Param("operator") String operator,
      @Param("reason") String reason);

  InvestorRow findInvestor(@Param("investorId") String investorId);

  List<Holding> holdings(@Param("investorId") String investorId);

  /** Creates the investor unless it exists (INSERT IGNORE); 0 rows when it existed. */
  int openInvestor(@Param("investorId") String investorId, @Param("cash") long cash);

  int insertOpening(
      @Param("investorId") String investorId,
      @Param("cash") long cash,
      @Param("operator") String operator,
      @Param("reason") String reason);

  /** Cash to frozen, guarded by the cash available. */
  int freezeCash(@Param("investorId") String investorId, @Param("amount") long amount);

  /** Frozen cash spent, guarded by the frozen amount. */
  int spendFrozen(@Param("investorId") String investorId, @Param("amount") long amount);

  /** Frozen cash back to cash, guarded by the frozen amount. */
  int releaseFrozen(@Param("investorId") String investorId, @Param("amount") long amount);

  int addUnits(
      @Param("investorId") String investorId,
      @Param("fundCode") String fundCode,
      @Param("units") long units);

  /** Units redeemed, guarded by the units held. */
  int redeemUnits(
      @Param("investorId") String investorId,
      @Param("fundCode") String fundCode,
      @Param("units") long units);

  int insertPurchase(PurchaseRecord purchase);

  PurchaseRecord findPurchase(@Param("purchaseNo") String purchaseNo);

  PurchaseRecord findPurchaseForUpdate(@Param("purchaseNo") String purchaseNo);

  PurchaseRecord findBranchForUpdate(@Param("xid") String xid, @Param("branchId") long branchId);

  /** TRIED to {@code to}: CONFIRMED holds the wallet units and awaits its secondary (PENDING). */
  int settlePurchase(
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("to") String to,
      @Param("walletUnits") long walletUnits);

  /**
   * As {@link #settlePurchase}, only if the TRIED row's every business field equals {@code
   * expected}'s.
   */
  int settlePurchaseIfTried(
      @Param("r") PurchaseRecord expected,
      @Param("to") String to,
      @Param("walletUnits") long walletUnits);

  /** The secondary purchase done, once: guarded by CONFIRMED and PENDING. */
  int completeSecondary(
      @Param("purchaseNo") String purchaseNo,
      @Param("targetUnits") long targetUnits,
      @Param("redeemedUnits") long redeemedUnits);
}
