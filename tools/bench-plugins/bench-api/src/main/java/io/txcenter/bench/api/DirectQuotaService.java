package io.txcenter.bench.api;

import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;

/**
 * Channel quota used at once, with no global transaction, no fence and no Try/Confirm split: the
 * same row updates as a confirmed freeze (the channel's quota, one {@code quota_freeze} row, status
 * {@code CONFIRMED}) in one local transaction. It exists for the benchmark's plain arm; an order
 * must use {@link PortalService}.
 */
public interface DirectQuotaService {

  /**
   * Uses {@code amount} of the channel's quota for an order, all or nothing.
   *
   * @throws PortalException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_CHANNEL}, {@code QUOTA_EXHAUSTED}
   */
  void use(QuotaFreezeRequest request) throws PortalException;
}
