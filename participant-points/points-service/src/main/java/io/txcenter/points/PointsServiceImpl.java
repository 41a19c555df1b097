package io.txcenter.points;

import io.txcenter.kit.Echo;
import io.txcenter.kit.OperatorAction;
import io.txcenter.kit.tcc.TryGuard;
import io.txcenter.kit.validation.Ids;
import io.txcenter.points.api.CreditRequest;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditAction;
import io.txcenter.points.tcc.PointsFreezeAction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The Dubbo provider of one channel's points: validates, then runs a TCC action's Try. */
public final class PointsServiceImpl implements PointsService {

  private static final Logger log = LoggerFactory.getLogger(PointsServiceImpl.class);

  private static final Function<TryGuard.Outcome, PointsErrorCode> CODES =
      TryGuard.codesNamedAlike(PointsErrorCode.class);

  private final String channelId;
  private final PointsFreezeAction freezeAction;
  private final PointsCreditAction creditAction;
  private final PointsMapper points;
  private final TransactionTemplate local;
  private final TryGuard<PointsException> guard =
      new TryGuard<>(log, "points", "key", PointsException.class, PointsException::code);

  public PointsServiceImpl(
      String channelId,
      PointsFreezeAction freezeAction,
      PointsCreditAction creditAction,
      PointsMapper points,
      PlatformTransactionManager transactions) {
    this.channelId = channelId;
    this.freezeAction = freezeAction;
    this.creditAction = creditAction;
    this.points = points;
    this.local = new TransactionTemplate(transactions);
    this.local.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  @Override
  public void tryFreeze(FreezeRequest request) {
    validate(request);
    runTry(
        "freeze",
        request.orderNo(),
        () ->
            freezeAction.tryFreeze(
                null, request.channelId(), request.orderNo(), request.userId(), request.points()));
  }

  @Override
  public void tryCredit(CreditRequest request) {
    if (request == null) {
      throw invalid("'request' must not be null");
    }
    requireChannel(request.channelId());
    requireKey("bizNo", request.bizNo());
    requireUser(request.userId());
    requireAmount(request.points());
    runTry(
        "credit",
        request.bizNo(),
        () ->
            creditAction.tryCredit(
                null, request.channelId(), request.bizNo(), request.userId(), request.points()));
  }

  /** Runs a Try inside the caller's global transaction under the kit's guard. */
  private void runTry(String action, String key, Runnable tryCall) {
    String operation = "try" + Character.toUpperCase(action.charAt(0)) + action.substring(1);
    guard.run(
        operation,
        action,
        key,
        "channel=" + channelId,
        (outcome, message) -> new PointsException(CODES.apply(outcome), channelId, message),
        tryCall);
  }

  @Override
  public PointsBalance balance(String channel, long userId) {
    requireChannel(channel);
    requireUser(userId);
    PointsBalance balance = points.find(channel, userId);
    if (balance == null) {
      throw new PointsException(
          PointsErrorCode.UNKNOWN_USER,
          channelId,
          "user [" + userId + "] has no points in channel [" + channelId + "]");
    }
    return balance;
  }

  @Override
  public PointsBalance grant(String channel, long userId, long amount, String reason) {
    requireChannel(channel);
    requireUser(userId);
    requireAmount(amount);
    String problem = OperatorAction.reasonProblem(reason);
    if (problem != null) {
      throw invalid(problem);
    }
    String operator = OperatorAction.operator();
    local.executeWithoutResult(
        status -> {
          points.grant(channel, userId, amount);
          // the cause of the raise of granted, in the same local transaction: the audit's record
          points.insertGrant(channel, userId, amount, operator, reason);
        });
    log.info(
        "points granted channel={} user={} points={} operator={}",
        channel,
        userId,
        amount,
        operator);
    return points.find(channel, userId);
  }

  /**
   * The checks {@link #tryFreeze} makes before its Try; public for a plugin that updates the same
   * rows another way (the benchmark's direct spend), so both refuse the same input alike.
   *
   * @throws PointsException {@code INVALID_REQUEST}, {@code UNKNOWN_CHANNEL}, {@code
   *     INVALID_AMOUNT}
   */
  public void validate(FreezeRequest request) {
    if (request == null) {
      throw invalid("'request' must not be null");
    }
    requireChannel(request.channelId());
    requireKey("orderNo", request.orderNo());
    requireUser(request.userId());
    requireAmount(request.points());
  }

  private void requireChannel(String channel) {
    if (!channelId.equals(channel)) {
      throw new PointsException(
          PointsErrorCode.UNKNOWN_CHANNEL,
          Echo.cut(channel),
          "this service holds channel [" + channelId + "], not [" + Echo.cut(channel) + "]");
    }
  }

  private void requireKey(String name, String key) {
    if (!Ids.isKey(key)) {
      throw invalid(Ids.refusal(name, Ids.KEY, key));
    }
  }

  private void requireUser(long userId) {
    if (userId <= 0) {
      throw invalid("'userId' must be > 0, was [" + userId + "]");
    }
  }

  private void requireAmount(long amount) {
    if (amount <= 0 || amount > MAX_POINTS) {
      throw new PointsException(
          PointsErrorCode.INVALID_AMOUNT,
          channelId,
          "'points' must be in [1, " + MAX_POINTS + "], was [" + amount + "]");
    }
  }

  private PointsException invalid(String message) {
    return new PointsException(PointsErrorCode.INVALID_REQUEST, channelId, message);
  }
}
