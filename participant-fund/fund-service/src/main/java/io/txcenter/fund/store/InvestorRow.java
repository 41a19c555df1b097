package io.txcenter.fund.store;

/** An investor's cash ({@code investor} row). */
public record InvestorRow(String investorId, long cash, long frozen, long openingCash) {}
