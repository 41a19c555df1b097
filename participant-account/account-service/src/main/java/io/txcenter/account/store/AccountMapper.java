package io.txcenter.account.store;

import io.txcenter.account.api.AccountBalance;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper of the account schema ({@code mapper/AccountMapper.xml}). */
public interface AccountMapper {

  AccountBalance find(@Param("accountId") String accountId);

  /** Raises the pending credit; 0 rows when the account is unknown. */
  int addPending(@Param("accountId") String accountId, @Param("amount") long amount);

  /** Guarded move pending credit to balance; 0 rows when the pending credit is missing. */
  int confirmPending(@Param("accountId") String accountId, @Param("amount") long amount);

  /** Guarded drop of pending credit; 0 rows when the pending credit is missing. */
  int releasePending(@Param("accountId") String accountId, @Param("amount") long amount);

  /** Creates the account unless it exists (INSERT IGNORE); 0 rows when it existed. */
  int open(@Param("accountId") String accountId, @Param("openingBalance") long openingBalance);

  /** The record of an operator's opening ({@code account_opening}). */
  int insertOpening(
      @Param("accountId") String accountId,
      @Param("openingBalance") long openingBalance,
      @Param("operator") String operator,
      @Param("reason") String reason);

  int insertCredit(CreditRecord record);

  CreditRecord findCreditForUpdate(@Param("xid") String xid, @Param("branchId") long branchId);

  int settleCredit(
      @Param("xid") String xid,
      @Param("branchId") long branchId,
      @Param("from") String from,
      @Param("to") String to);

  /** TRIED to {@code to}, only if the row's every business field equals {@code expected}'s. */
  int settleCreditIfTried(@Param("r") CreditRecord expected, @Param("to") String to);
}
