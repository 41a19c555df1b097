package io.txcenter.bench.portal;

import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.portal.PortalServiceImpl;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.portal.store.QuotaFreezeRecord;
import io.txcenter.portal.store.QuotaMapper;
import java.util.List;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The direct quota use of the benchmark's plain arm ({@link DirectQuotaService}): the same checks
 * as the service's Try, then the rows a confirmed freeze leaves, in one local transaction.
 */
public final class DirectQuota implements DirectQuotaService {

  private final QuotaMapper quotas;
  private final TransactionTemplate local;

  public DirectQuota(QuotaMapper quotas, PlatformTransactionManager transactions) {
    this.quotas = quotas;
    this.local = new TransactionTemplate(transactions);
    this.local.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  @Override
  public void use(QuotaFreezeRequest request) {
    List<QuotaLine> lines = PortalServiceImpl.validate(request);
    local.executeWithoutResult(status -> lines.forEach(line -> use(request.orderNo(), line)));
  }

  private void use(String orderNo, QuotaLine line) {
    String channelId = line.channelId();
    if (quotas.useAvailable(channelId, line.amount()) == 0) {
      if (quotas.find(channelId) == null) {
        throw new PortalException(
            PortalErrorCode.UNKNOWN_CHANNEL, channelId, "channel [" + channelId + "] has no quota");
      }
      throw new PortalException(
          PortalErrorCode.QUOTA_EXHAUSTED,
          channelId,
          "channel [" + channelId + "] has less than [" + line.amount() + "] quota left");
    }
    // the row a confirmed freeze leaves, so used = confirmed rows still holds; its xid is the
    // audit's mark of a direct use (check quota-explained in the mall's audit)
    quotas.insertFreeze(
        new QuotaFreezeRecord(
            "direct:" + channelId + ":" + orderNo,
            0,
            channelId,
            orderNo,
            line.amount(),
            QuotaFreezeRecord.CONFIRMED));
  }
}
