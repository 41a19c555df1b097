package io.txcenter.mall;

import io.txcenter.initiator.GlobalTransactionTemplate;
import io.txcenter.initiator.GlobalWork;
import io.txcenter.kit.validation.Ids;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.mall.store.OrderRecord;
import io.txcenter.mall.tcc.OrderCreateAction;
import io.txcenter.outbox.api.OutboxException;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The mall initiator (TM): validates and pre-checks an order, then runs one global transaction —
 * the order branch (the order and its events in the outbox), a points freeze in every channel, then
 * one portal quota freeze for all the order's lines — and commits or rolls back. Channels are
 * frozen before the portal so a channel that cannot pay consumes no quota.
 */
public final class MallServiceImpl implements MallService {

  private static final Logger log = LoggerFactory.getLogger(MallServiceImpl.class);

  private final OrderMapper orders;
  private final OrderCreateAction orderCreate;
  private final PortalService portal;
  private final Function<String, PointsService> pointsOfChannel;
  private final OrderEvents events;
  private final boolean precheck;
  private final GlobalTransactionTemplate transactions;
  private final KnownChannels channels;

  public MallServiceImpl(
      OrderMapper orders,
      OrderCreateAction orderCreate,
      PortalService portal,
      Function<String, PointsService> pointsOfChannel,
      OrderEvents events,
      boolean precheck,
      int timeoutMillis) {
    this.orders = orders;
    this.orderCreate = orderCreate;
    this.portal = portal;
    this.channels = new KnownChannels(portal);
    this.pointsOfChannel = pointsOfChannel;
    this.events = events;
    this.precheck = precheck;
    this.transactions = new GlobalTransactionTemplate(log, "order", "order", timeoutMillis);
  }

  @Override
  public OrderResult placeOrder(PlaceOrderRequest request) {
    validate(request);
    OrderRecord existing = orders.find(request.orderNo());
    if (existing != null) {
      return repeated(existing, request, null);
    }
    checkChannelsAndBalances(request);
    long total = request.lines().stream().mapToLong(OrderLine::points).sum();
    return runGlobalTransaction(request, total);
  }

  @Override
  public OrderResult order(String orderNo) {
    requireOrderNo(orderNo);
    OrderRecord record = orders.find(orderNo);
    if (record == null) {
      throw new MallException(MallErrorCode.UNKNOWN_ORDER, "no order [" + orderNo + "]");
    }
    return result(record, false);
  }

  private OrderResult runGlobalTransaction(PlaceOrderRequest request, long total) {
    return transactions.execute(
        "placeOrder",
        request.orderNo(),
        new GlobalWork<>() {
          @Override
          public RuntimeException coordinatorUnavailable(Exception cause) {
            return coordinatorDown(cause);
          }

          @Override
          public void run(String xid) {
            // the half messages with the order, as RocketMQ does: a later refusal leaves them
            // DISCARDED
            orderCreate.tryCreate(
                null,
                request.orderNo(),
                request.userId(),
                total,
                request.lines(),
                events.orderPlaced(request, total));
            for (OrderLine line : request.lines()) {
              pointsOfChannel
                  .apply(line.channelId())
                  .tryFreeze(
                      new FreezeRequest(
                          line.channelId(), request.orderNo(), request.userId(), line.points()));
            }
            portal.tryFreezeQuota(quotaOf(request));
          }

          @Override
          public OrderResult failed(String xid, RuntimeException cause) {
            return rolledBack(xid, request, cause);
          }

          @Override
          public OrderResult committed(String xid, Exception notAcknowledged) {
            if (notAcknowledged == null) {
              log.info("order committed xid={} order={} points={}", xid, request.orderNo(), total);
            }
            return result(orders.find(request.orderNo()), false);
          }
        });
  }

  /** The order's quota: one line per channel, as many points as the order spends there. */
  public static QuotaFreezeRequest quotaOf(PlaceOrderRequest request) {
    return new QuotaFreezeRequest(
        request.orderNo(),
        request.lines().stream()
            .map(line -> new QuotaLine(line.channelId(), line.points()))
            .toList());
  }

  /**
   * After the rollback: the first order's answer if this call lost the order number, else the order
   * recorded CANCELLED with its refusal code.
   */
  private OrderResult rolledBack(String xid, PlaceOrderRequest request, RuntimeException cause) {
    String code = refusalCode(cause);
    OrderRecord first = isDuplicateOrder(cause) ? orders.find(request.orderNo()) : null;
    if (first != null && !xid.equals(first.xid())) {
      // lost the insert of the order row to a concurrent call: its row and lines are committed
      // together, so the content comparison sees the whole first order
      return repeated(first, request, xid);
    }
    orders.markRejected(request.orderNo(), xid, code);
    log.info(
        "order cancelled xid={} order={} code={} cause={}",
        xid,
        request.orderNo(),
        code,
        cause.getMessage());
    OrderRecord record = orders.find(request.orderNo());
    if (record == null) {
      throw new MallException(
          MallErrorCode.TRANSACTION_FAILED,
          "order [" + request.orderNo() + "] was not recorded: " + cause.getMessage());
    }
    return result(record, false);
  }

  /**
   * The answer to a call whose order number is taken: the first order's outcome for an identical
   * request, {@code DUPLICATE_ORDER} for any other content. Identical means the same user and the
   * same lines as a set: one line per channel, in any order, each with the same points.
   */
  private OrderResult repeated(OrderRecord first, PlaceOrderRequest request, String lostXid) {
    if (first.userId() != request.userId() || !sameLines(first, request.lines())) {
      log.warn(
          "order number reused with other content refused order={} xid={} firstXid={}",
          request.orderNo(),
          lostXid,
          first.xid());
      throw new MallException(
          MallErrorCode.DUPLICATE_ORDER,
          "order ["
              + request.orderNo()
              + "] was already placed with other content (user or lines); use a new order number");
    }
    log.info(
        "order repeated order={} status={} xid={} firstXid={}",
        first.orderNo(),
        first.status(),
        lostXid,
        first.xid());
    return result(first, true);
  }

  private boolean sameLines(OrderRecord first, List<OrderLine> lines) {
    Map<String, Long> stored = new HashMap<>();
    for (OrderLine line : orders.findLines(first.orderNo())) {
      stored.put(line.channelId(), line.points());
    }
    Map<String, Long> asked = new HashMap<>();
    for (OrderLine line : lines) {
      asked.put(line.channelId(), line.points());
    }
    return stored.equals(asked);
  }

  private void checkChannelsAndBalances(PlaceOrderRequest request) {
    // with the pre-check the quotas are read now, so require() finds every channel they name
    Map<String, ChannelQuota> quotas = precheck ? channels.quotas() : Map.of();
    channels.require(request.lines());
    if (!precheck) {
      return;
    }
    for (OrderLine line : request.lines()) {
      ChannelQuota quota = quotas.get(line.channelId());
      if (quota.available() < line.points()) {
        throw new MallException(
            MallErrorCode.QUOTA_EXHAUSTED,
            "channel ["
                + line.channelId()
                + "] has ["
                + quota.available()
                + "] quota left, order needs ["
                + line.points()
                + "]");
      }
    }
    for (OrderLine line : request.lines()) {
      PointsBalance balance;
      try {
        balance =
            pointsOfChannel.apply(line.channelId()).balance(line.channelId(), request.userId());
      } catch (PointsException e) {
        throw new MallException(mallCode(e), e.getMessage());
      } catch (RpcException e) {
        throw unavailable("points service of channel [" + line.channelId() + "]", e);
      }
      if (balance.available() < line.points()) {
        throw new MallException(
            MallErrorCode.INSUFFICIENT_POINTS,
            "user ["
                + request.userId()
                + "] has ["
                + balance.available()
                + "] points in channel ["
                + line.channelId()
                + "], order needs ["
                + line.points()
                + "]");
      }
    }
  }

  /** The mall's code of a points refusal of the same name; a failure of the service otherwise. */
  private static MallErrorCode mallCode(PointsException e) {
    for (MallErrorCode code : MallErrorCode.values()) {
      if (code.name().equals(e.code().name())) {
        return code;
      }
    }
    return MallErrorCode.SERVICE_UNAVAILABLE;
  }

  private static String refusalCode(RuntimeException e) {
    if (e instanceof PointsException points) {
      return points.code().name();
    }
    if (e instanceof PortalException portal) {
      return portal.code().name();
    }
    if (e instanceof OutboxException outbox) {
      return outbox.code().name();
    }
    if (e instanceof RpcException) {
      return MallErrorCode.SERVICE_UNAVAILABLE.name();
    }
    return MallErrorCode.TRANSACTION_FAILED.name();
  }

  private static boolean isDuplicateOrder(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DuplicateKeyException) {
        return true;
      }
    }
    return false;
  }

  /** The mall's answer when its global transaction cannot begin: the TC could not be reached. */
  public static MallException coordinatorDown(Exception cause) {
    return new MallException(
        MallErrorCode.SERVICE_UNAVAILABLE, "transaction coordinator: " + cause.getMessage());
  }

  static MallException unavailable(String what, RpcException e) {
    return new MallException(MallErrorCode.SERVICE_UNAVAILABLE, what + ": " + e.getMessage());
  }

  /** The answer for a stored order; public for plugins that place orders another way. */
  public static OrderResult result(OrderRecord record, boolean duplicate) {
    return new OrderResult(
        record.orderNo(),
        OrderStatus.valueOf(record.status()),
        record.rejectCode(),
        record.totalPoints(),
        record.xid(),
        duplicate);
  }

  /**
   * The checks of {@link #placeOrder} before anything is written; public for plugins that place
   * orders another way (the benchmark's arms), so every path refuses the same input alike.
   *
   * @throws MallException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}
   */
  public static void validate(PlaceOrderRequest request) {
    if (request == null) {
      throw invalid("'request' must not be null");
    }
    requireOrderNo(request.orderNo());
    if (request.userId() <= 0) {
      throw invalid("'userId' must be > 0, was [" + request.userId() + "]");
    }
    List<OrderLine> lines = request.lines();
    if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
      throw invalid(
          "'lines' must hold 1 to "
              + MAX_LINES
              + " lines, was ["
              + (lines == null ? null : lines.size())
              + "]");
    }
    Set<String> channels = new HashSet<>();
    // List<OrderLine> is a compile-time type only: a hostile client sends any allowed class (or a
    // map standing for a refused one) in it, which must be refused here, not fail as a cast later
    for (Object item : lines) {
      if (!(item instanceof OrderLine line)) {
        throw invalid(
            "'lines' must hold order lines, found ["
                + (item == null ? null : item.getClass().getSimpleName())
                + "]");
      }
      if (!Ids.isChannel(line.channelId())) {
        throw invalid(Ids.refusal("channelId", Ids.CHANNEL, line.channelId()));
      }
      if (!channels.add(line.channelId())) {
        throw invalid("channel [" + line.channelId() + "] appears twice; use one line per channel");
      }
      if (line.points() <= 0 || line.points() > MAX_POINTS) {
        throw new MallException(
            MallErrorCode.INVALID_AMOUNT,
            "'points' of channel ["
                + line.channelId()
                + "] must be in [1, "
                + MAX_POINTS
                + "], was ["
                + line.points()
                + "]");
      }
    }
  }

  private static void requireOrderNo(String orderNo) {
    if (!Ids.isKey(orderNo)) {
      throw invalid(Ids.refusal("orderNo", Ids.KEY, orderNo));
    }
  }

  private static MallException invalid(String message) {
    return new MallException(MallErrorCode.INVALID_REQUEST, message);
  }
}
