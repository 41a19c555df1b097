package io.txcenter.account.api;

import java.io.Serializable;

/** Credit {@code amount} cents to {@code accountId} for business number {@code bizNo}. */
public record CreditRequest(String accountId, String bizNo, long amount) implements Serializable {}
