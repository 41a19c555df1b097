package io.txcenter.account.api;

import java.io.Serializable;

/**
 * One account, in cents: balance = openingBalance + confirmed credits; pendingCredit = credits
 * tried but neither confirmed nor cancelled (visible, not spendable).
 */
public record AccountBalance(
    String accountId, long balance, long pendingCredit, long openingBalance)
    implements Serializable {}
