package io.txcenter.payment.api;

import java.io.Serializable;

/** What the bank reported: its transaction number, success or not, the amount, a reason. */
public record BankResult(String bankTxnNo, boolean success, long amountCents, String reason)
    implements Serializable {}
