package io.txcenter.bench.api;

import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;

/**
 * Channel quota used at once, with no global transaction, no fence and no Try/Confirm split: the
 * same row updates as a confirmed freeze (each line's channel quota and {@code quota_freeze} row,
 * status {@code CONFIRMED}) in one local transaction per order, as the Try freezes all of an
 * order's lines in one branch. It exists for the benchmark's plain arm; an order must use {@link
 * PortalService}.
 */
public interface DirectQuotaService {

  /**
   * Uses each line's {@code amount} of its channel's quota for an order, all lines or none.
   *
   * @throws PortalException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_CHANNEL}, {@code QUOTA_EXHAUSTED}
   */
  void use(QuotaFreezeRequest request) throws PortalException;
}
