package io.txcenter.bench.api;

import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.PlaceOrderRequest;

/**
 * The benchmark's AT arm: the mall order as a Seata user would place it in AT mode instead of TCC,
 * for comparison on the same TC and processes. Not for business traffic.
 *
 * <p>The plain arm's calls and rows ({@link OrderBenchService#placePlain}) run inside one global
 * transaction, every local transaction on a Seata AT data source (each schema's pool behind {@code
 * DataSourceProxy}, undo images in its {@code undo_log}); the participants' direct services it
 * calls are exported a second time on such data sources, under the groups {@link #group}. The XID
 * travels over Dubbo as for TCC.
 */
public interface AtOrderService {

  /**
   * The DDL set of Seata AT's {@code undo_log} ({@code sql/bench-at/} in this jar), which each
   * bench plugin applies to its process's schema before it wraps the schema's pool for AT.
   */
  String UNDO_LOG_DDL = "bench-at";

  /**
   * The undo images' serializer ({@code client.undo.logSerialization}) each bench plugin sets
   * before it wraps a pool for AT: Seata's default, jackson, needs {@code jackson-datatype-jsr310},
   * which no service carries; fastjson2 is on every service's class path (Dubbo's).
   */
  String UNDO_LOG_SERIALIZATION = "fastjson2";

  /**
   * The Dubbo group of a direct service's AT export: {@code at-<channel>} for {@link
   * DirectPointsService} of a channel, {@code at} for {@link DirectQuotaService} ({@code channel}
   * null).
   */
  static String group(String channel) {
    return channel == null ? "at" : "at-" + channel;
  }

  /**
   * Places the order in one global transaction of AT branches: the plain arm's rows (the order with
   * its {@code bench_order} record of path {@code AT}, its outbox messages, each channel's spend,
   * the quota uses), all committed, or all undone by the TC when a participant refuses. The result
   * carries the global transaction's XID.
   *
   * @throws MallException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, the participant's
   *     refusal (the transaction rolled back), {@code SERVICE_UNAVAILABLE} (no TC; or a participant
   *     unreachable, rolled back), {@code TRANSACTION_FAILED} (any other failure, rolled back; or a
   *     commit the TC did not acknowledge)
   */
  OrderResult placeAt(PlaceOrderRequest request) throws MallException;
}
