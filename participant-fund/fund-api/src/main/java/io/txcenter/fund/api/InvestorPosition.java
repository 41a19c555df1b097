package io.txcenter.fund.api;

import java.io.Serializable;
import java.util.Map;

/**
 * An investor's cash ({@code cashCents} available, {@code frozenCents} held by purchases in
 * flight), the cash they were opened with, and their units per fund.
 */
public record InvestorPosition(
    String investorId, long cashCents, long frozenCents, long openingCents, Map<String, Long> units)
    implements Serializable {}
