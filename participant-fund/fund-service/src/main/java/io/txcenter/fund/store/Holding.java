package io.txcenter.fund.store;

/** The units of one fund an investor holds ({@code holding} row). */
public record Holding(String fundCode, long units) {}
