package io.txcenter.portal;

import io.txcenter.kit.Echo;
import io.txcenter.kit.OperatorAction;
import io.txcenter.kit.tcc.TryGuard;
import io.txcenter.kit.validation.Ids;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The Dubbo provider of the channels' quota: validates, then runs the TCC action's Try. */
public final class PortalServiceImpl implements PortalService {

  private static final Logger log = LoggerFactory.getLogger(PortalServiceImpl.class);

  private static final Function<TryGuard.Outcome, PortalErrorCode> CODES =
      TryGuard.codesNamedAlike(PortalErrorCode.class);

  private static final TryGuard<PortalException> GUARD =
      new TryGuard<>(log, "quota", "order", PortalException.class, PortalException::code);

  private final QuotaFreezeAction freezeAction;
  private final QuotaMapper quotas;
  private final TransactionTemplate local;

  public PortalServiceImpl(
      QuotaFreezeAction freezeAction, QuotaMapper quotas, PlatformTransactionManager transactions) {
    this.freezeAction = freezeAction;
    this.quotas = quotas;
    this.local = new TransactionTemplate(transactions);
    this.local.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  @Override
  public void tryFreezeQuota(QuotaFreezeRequest request) {
    List<QuotaLine> lines = validate(request);
    GUARD.run(
        "tryFreezeQuota",
        "freeze",
        request.orderNo(),
        "lines=" + lines.stream().map(l -> l.channelId() + ":" + l.amount()).toList(),
        (outcome, message) -> new PortalException(CODES.apply(outcome), null, message),
        () -> freezeAction.tryFreezeQuota(null, request.orderNo(), lines));
  }

  @Override
  public ChannelQuota quota(String channelId) {
    requireChannel(channelId);
    ChannelQuota quota = quotas.find(channelId);
    if (quota == null) {
      throw new PortalException(
          PortalErrorCode.UNKNOWN_CHANNEL, channelId, "channel [" + channelId + "] has no quota");
    }
    return quota;
  }

  @Override
  public List<ChannelQuota> quotas() {
    return quotas.findAll();
  }

  @Override
  public ChannelQuota grant(String channelId, long amount, String reason) {
    requireChannel(channelId);
    requireAmount(channelId, amount);
    String problem = OperatorAction.reasonProblem(reason);
    if (problem != null) {
      throw invalid(channelId, problem);
    }
    String operator = OperatorAction.operator();
    local.executeWithoutResult(
        status -> {
          quotas.grant(channelId, amount);
          // the cause of the raise of granted, in the same local transaction: the audit's record
          quotas.insertGrant(channelId, amount, operator, reason);
        });
    log.info("quota granted channel={} amount={} operator={}", channelId, amount, operator);
    return quotas.find(channelId);
  }

  /**
   * The checks {@link #tryFreezeQuota} makes before its Try; public for a plugin that updates the
   * same rows another way (the benchmark's direct use), so both refuse the same input alike.
   * Returns the lines, copied and ordered by channel: the order in which every path locks the
   * channels' rows, so two orders of the same channels never deadlock.
   *
   * @throws PortalException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}
   */
  public static List<QuotaLine> validate(QuotaFreezeRequest request) {
    if (request == null) {
      throw invalid(null, "'request' must not be null");
    }
    requireOrderNo(null, request.orderNo());
    List<QuotaLine> lines = request.lines();
    if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
      throw invalid(
          null,
          "'lines' must hold 1 to "
              + MAX_LINES
              + " lines, was ["
              + (lines == null ? null : lines.size())
              + "]");
    }
    List<QuotaLine> checked = new ArrayList<>(lines.size());
    Set<String> channels = new HashSet<>();
    // List<QuotaLine> is a compile-time type only: a hostile client sends any allowed class (or a
    // map standing for a refused one) in it, which must be refused here, not fail as a cast later
    for (Object item : lines) {
      if (!(item instanceof QuotaLine line)) {
        throw invalid(
            null,
            "'lines' must hold quota lines, found ["
                + (item == null ? null : item.getClass().getSimpleName())
                + "]");
      }
      requireChannel(line.channelId());
      if (!channels.add(line.channelId())) {
        throw invalid(
            line.channelId(),
            "channel [" + line.channelId() + "] appears twice; use one line per channel");
      }
      requireAmount(line.channelId(), line.amount());
      checked.add(line);
    }
    checked.sort(Comparator.comparing(QuotaLine::channelId));
    return checked;
  }

  private static void requireChannel(String channelId) {
    if (!Ids.isChannel(channelId)) {
      throw invalid(Echo.cut(channelId), Ids.refusal("channelId", Ids.CHANNEL, channelId));
    }
  }

  private static void requireOrderNo(String channelId, String orderNo) {
    if (!Ids.isKey(orderNo)) {
      throw invalid(channelId, Ids.refusal("orderNo", Ids.KEY, orderNo));
    }
  }

  private static void requireAmount(String channelId, long amount) {
    if (amount <= 0 || amount > MAX_QUOTA) {
      throw new PortalException(
          PortalErrorCode.INVALID_AMOUNT,
          channelId,
          "'amount' must be in [1, " + MAX_QUOTA + "], was [" + amount + "]");
    }
  }

  private static PortalException invalid(String channelId, String message) {
    return new PortalException(PortalErrorCode.INVALID_REQUEST, channelId, message);
  }
}
