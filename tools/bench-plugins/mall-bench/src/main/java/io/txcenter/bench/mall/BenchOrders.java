package io.txcenter.bench.mall;

import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.bench.api.OrderBenchService;
import io.txcenter.initiator.GlobalTransactionTemplate;
import io.txcenter.initiator.GlobalWork;
import io.txcenter.kit.OperatorAction;
import io.txcenter.mall.MallServiceImpl;
import io.txcenter.mall.OrderEvents;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.mall.store.OrderRecord;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.api.OutboxMessage;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.PortalException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The benchmark's baselines ({@link OrderBenchService}): the plain arm over the same Dubbo calls,
 * the monolith arm on one schema, and global transactions of N branches.
 *
 * <p>The monolith's SQL is written out here rather than shared with the participants' mappers: a
 * monolith is one codebase on one database, and the point is to run the same row updates without
 * any Dubbo hop.
 */
public final class BenchOrders implements OrderBenchService {

  private static final Logger log = LoggerFactory.getLogger(BenchOrders.class);

  private final OrderMapper orders;
  private final OutboxMapper outbox;
  private final JdbcTemplate mall;
  private final TransactionTemplate mallLocal;
  private final Function<String, DirectPointsService> directPoints;
  private final DirectQuotaService directQuota;
  private final Function<String, PointsService> points;
  private final JdbcTemplate monolith;
  private final TransactionTemplate monolithLocal;
  private final GlobalTransactionTemplate transactions;
  private final String plainPath;

  /** The baselines, {@link #placePlain} recording its orders as {@link #PLAIN}. */
  public BenchOrders(
      OrderMapper orders,
      OutboxMapper outbox,
      DataSource mall,
      PlatformTransactionManager mallTransactions,
      Function<String, DirectPointsService> directPoints,
      DirectQuotaService directQuota,
      Function<String, PointsService> points,
      DataSource monolith,
      int timeoutMillis) {
    this(
        orders,
        outbox,
        mall,
        mallTransactions,
        directPoints,
        directQuota,
        points,
        monolith,
        timeoutMillis,
        PLAIN);
  }

  /**
   * @param plainPath the {@code bench_order} path {@link #placePlain} records: {@link #PLAIN}, or
   *     {@link #AT} for the instance on AT data sources whose {@code placePlain} {@link AtOrders}
   *     runs inside a global transaction
   */
  public BenchOrders(
      OrderMapper orders,
      OutboxMapper outbox,
      DataSource mall,
      PlatformTransactionManager mallTransactions,
      Function<String, DirectPointsService> directPoints,
      DirectQuotaService directQuota,
      Function<String, PointsService> points,
      DataSource monolith,
      int timeoutMillis,
      String plainPath) {
    this.orders = orders;
    this.outbox = outbox;
    this.mall = new JdbcTemplate(mall);
    this.mallLocal = readCommitted(mallTransactions);
    this.directPoints = directPoints;
    this.directQuota = directQuota;
    this.points = points;
    this.monolith = new JdbcTemplate(monolith);
    this.monolithLocal = readCommitted(new DataSourceTransactionManager(monolith));
    if (!PLAIN.equals(plainPath) && !AT.equals(plainPath)) {
      throw new IllegalArgumentException(
          "'plainPath' must be " + PLAIN + " or " + AT + ", was [" + plainPath + "]");
    }
    this.plainPath = plainPath;
    this.transactions =
        new GlobalTransactionTemplate(log, "bench transaction", "order", timeoutMillis);
  }

  private static TransactionTemplate readCommitted(PlatformTransactionManager transactions) {
    TransactionTemplate template = new TransactionTemplate(transactions);
    template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    return template;
  }

  @Override
  public OrderResult placePlain(PlaceOrderRequest request) {
    MallServiceImpl.validate(request);
    // the same idempotency read as the real order's
    OrderRecord existing = orders.find(request.orderNo());
    if (existing != null) {
      return MallServiceImpl.result(existing, true);
    }
    long total = total(request);
    String xid = "direct:" + request.orderNo();
    // the order, its lines and its events in one local transaction, as the order branch's Try and
    // Confirm write them: the outbox rows as a confirmed branch leaves them, inserted then READY
    mallLocal.executeWithoutResult(
        status -> {
          orders.insertOrder(
              request.orderNo(), request.userId(), total, OrderStatus.CONFIRMED.name(), xid);
          for (OrderLine line : request.lines()) {
            orders.insertLine(request.orderNo(), line.channelId(), line.points());
          }
          // with the order: the audit's record of its path (PLAIN: non-atomic; AT: in a global
          // transaction)
          recordBench(request.orderNo(), plainPath, xid, 0);
          for (OutboxMessage m : OrderEvents.messagesOf(request, total)) {
            outbox.insertMessage(
                UUID.randomUUID().toString(),
                xid,
                0,
                m.topic(),
                String.join(",", m.tags()),
                m.businessKey(),
                m.payload(),
                OrderEvents.headersJson(m.headers()));
          }
          outbox.settleBranch(xid, 0, "READY", "direct");
        });
    try {
      for (OrderLine line : request.lines()) {
        directPoints
            .apply(line.channelId())
            .spend(
                new FreezeRequest(
                    line.channelId(), request.orderNo(), request.userId(), line.points()));
      }
      directQuota.use(MallServiceImpl.quotaOf(request));
    } catch (PointsException e) {
      throw new MallException(MallErrorCode.valueOf(e.code().name()), e.getMessage());
    } catch (PortalException e) {
      throw new MallException(MallErrorCode.valueOf(e.code().name()), e.getMessage());
    } catch (RpcException e) {
      throw new MallException(MallErrorCode.SERVICE_UNAVAILABLE, e.getMessage());
    }
    return new OrderResult(request.orderNo(), OrderStatus.CONFIRMED, null, total, xid, false);
  }

  @Override
  public OrderResult placeMonolith(PlaceOrderRequest request) {
    MallServiceImpl.validate(request);
    long total = total(request);
    String xid = "local:" + request.orderNo();
    monolithLocal.executeWithoutResult(
        status -> {
          monolith.update(
              "INSERT INTO mall_order (order_no, user_id, total_points, status, xid)"
                  + " VALUES (?, ?, ?, 'CONFIRMED', ?)",
              request.orderNo(),
              request.userId(),
              total,
              xid);
          for (OrderLine line : request.lines()) {
            monolith.update(
                "INSERT INTO order_line (order_no, channel_id, points) VALUES (?, ?, ?)",
                request.orderNo(),
                line.channelId(),
                line.points());
          }
          for (OutboxMessage m : OrderEvents.messagesOf(request, total)) {
            monolith.update(
                "INSERT INTO outbox_message (message_id, xid, branch_id, topic, tags,"
                    + " business_key, payload, headers, status, ready_at)"
                    + " VALUES (?, ?, 0, ?, ?, ?, ?, ?, 'READY', NOW(3))",
                UUID.randomUUID().toString(),
                xid,
                m.topic(),
                String.join(",", m.tags()),
                m.businessKey(),
                m.payload(),
                OrderEvents.headersJson(m.headers()));
          }
          for (OrderLine line : request.lines()) {
            if (monolith.update(
                    "UPDATE user_points SET available = available - ?, spent = spent + ?"
                        + " WHERE channel_id = ? AND user_id = ? AND available >= ?",
                    line.points(),
                    line.points(),
                    line.channelId(),
                    request.userId(),
                    line.points())
                == 0) {
              throw new MallException(
                  MallErrorCode.INSUFFICIENT_POINTS,
                  "user [" + request.userId() + "] short of points in [" + line.channelId() + "]");
            }
            monolith.update(
                "INSERT INTO points_freeze (xid, branch_id, channel_id, order_no, user_id, points,"
                    + " status) VALUES (?, ?, ?, ?, ?, ?, 'CONFIRMED')",
                xid,
                // one row per line: both channels share this table, keyed by (xid, branch_id)
                request.lines().indexOf(line),
                line.channelId(),
                request.orderNo(),
                request.userId(),
                line.points());
          }
          for (OrderLine line : request.lines()) {
            if (monolith.update(
                    "UPDATE channel_quota SET available = available - ?, used = used + ?"
                        + " WHERE channel_id = ? AND available >= ?",
                    line.points(),
                    line.points(),
                    line.channelId(),
                    line.points())
                == 0) {
              throw new MallException(
                  MallErrorCode.QUOTA_EXHAUSTED, "channel [" + line.channelId() + "] quota short");
            }
            monolith.update(
                "INSERT INTO quota_freeze (xid, branch_id, channel_id, order_no, amount, status)"
                    + " VALUES (?, ?, ?, ?, ?, 'CONFIRMED')",
                xid,
                // one branch for the order's lines, as the portal's Try records them
                0,
                line.channelId(),
                request.orderNo(),
                line.points());
          }
        });
    return new OrderResult(request.orderNo(), OrderStatus.CONFIRMED, null, total, xid, false);
  }

  @Override
  public OrderStatus placeWithBranches(
      String orderNo, long userId, String channelId, int branches) {
    if (branches < 1 || branches > 16) {
      throw new MallException(
          MallErrorCode.INVALID_REQUEST, "'branches' must be in [1, 16], was [" + branches + "]");
    }
    MallServiceImpl.validate(
        new PlaceOrderRequest(orderNo, userId, List.of(new OrderLine(channelId, 1))));
    return transactions.execute(
        "benchBranches",
        orderNo,
        new GlobalWork<>() {
          @Override
          public RuntimeException coordinatorUnavailable(Exception cause) {
            return MallServiceImpl.coordinatorDown(cause);
          }

          @Override
          public void run(String xid) {
            // before the first Try: the audit's record of the freezes this transaction makes with
            // no order
            recordBench(orderNo, BRANCHES, xid, branches);
            for (int i = 0; i < branches; i++) {
              points
                  .apply(channelId)
                  .tryFreeze(new FreezeRequest(channelId, orderNo + "-b" + i, userId, 1));
            }
          }

          @Override
          public OrderStatus failed(String xid, RuntimeException cause) {
            // a rollback not acknowledged: the TC times the transaction out and cancels its
            // branches
            return OrderStatus.CANCELLED;
          }

          @Override
          public OrderStatus committed(String xid, Exception notAcknowledged) {
            // the bench counts an unacknowledged commit as a failed call, as it always has
            if (notAcknowledged != null) {
              throw new MallException(
                  MallErrorCode.TRANSACTION_FAILED, "commit: " + notAcknowledged.getMessage());
            }
            return OrderStatus.CONFIRMED;
          }
        });
  }

  /** Paths of {@code bench_order}. */
  static final String PLAIN = "PLAIN";

  /**
   * The AT arm's orders: the plain path's rows, written in one global transaction of AT branches.
   */
  static final String AT = "AT";

  static final String BRANCHES = "BRANCHES";

  private void recordBench(String orderNo, String path, String xid, int branches) {
    mall.update(
        "INSERT INTO bench_order (order_no, path, xid, branches, operator) VALUES (?, ?, ?, ?, ?)",
        orderNo,
        path,
        xid,
        branches,
        OperatorAction.operator());
  }

  @Override
  public void seedMonolith(
      List<String> channels, long firstUser, int users, long pointsEach, long quota) {
    if (channels == null || channels.isEmpty() || users < 1 || pointsEach < 1 || quota < 1) {
      throw new MallException(
          MallErrorCode.INVALID_REQUEST, "seed needs channels, users >= 1, points and quota >= 1");
    }
    String operator = OperatorAction.operator();
    monolithLocal.executeWithoutResult(
        status -> {
          for (String channel : channels) {
            // the grants' records, as the portal and the points services keep them
            monolith.update(
                "INSERT INTO quota_grant (channel_id, amount, operator, reason)"
                    + " VALUES (?, ?, ?, 'bench monolith seed')",
                channel,
                quota,
                operator);
            monolith.update(
                "INSERT INTO channel_quota (channel_id, granted, available) VALUES (?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE available = available + VALUES(available),"
                    + " granted = granted + VALUES(granted)",
                channel,
                quota,
                quota);
            for (long u = firstUser; u < firstUser + users; u++) {
              monolith.update(
                  "INSERT INTO user_points (channel_id, user_id, available, granted)"
                      + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                      + " available = available + VALUES(available),"
                      + " granted = granted + VALUES(granted)",
                  channel,
                  u,
                  pointsEach,
                  pointsEach);
              monolith.update(
                  "INSERT INTO points_grant (channel_id, user_id, points, operator, reason)"
                      + " VALUES (?, ?, ?, ?, 'bench monolith seed')",
                  channel,
                  u,
                  pointsEach,
                  operator);
            }
          }
        });
  }

  private static long total(PlaceOrderRequest request) {
    return request.lines().stream().mapToLong(OrderLine::points).sum();
  }
}
