package io.txcenter.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bin/txc top}'s reading of Micrometer's pages and its screen, from canned scrapes. */
class TopViewTest {

  private static final String MALL_BEFORE =
      """
      # HELP txc_global_transactions_total global transactions
      # TYPE txc_global_transactions_total counter
      txc_global_transactions_total{name="placeOrder",outcome="committed"} 10.0
      txc_global_transactions_total{name="placeOrder",outcome="rolled_back"} 1.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="0.01"} 2.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="0.05"} 8.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="0.1"} 10.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="+Inf"} 10.0
      txc_branch_phases_total{action="orderCreate",phase="confirm",outcome="ok"} 10.0
      """;

  private static final String MALL_AFTER =
      """
      txc_global_transactions_total{name="placeOrder",outcome="committed"} 30.0
      txc_global_transactions_total{name="placeOrder",outcome="rolled_back"} 1.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="0.01"} 2.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="0.05"} 18.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="0.1"} 30.0
      txc_global_transaction_seconds_bucket{name="placeOrder",outcome="committed",le="+Inf"} 30.0
      txc_branch_phases_total{action="orderCreate",phase="confirm",outcome="ok"} 30.0
      """;

  private static final String RELAY =
      """
      txc_outbox_messages{outbox="mall",state="pending"} 4.0
      txc_outbox_messages{outbox="mall",state="dead"} 1.0
      txc_outbox_oldest_seconds{outbox="mall",state="pending"} 0.5
      txc_relay_leader{outbox="mall"} 1.0
      """;

  private static final String TC =
      """
      txc_tc_global_sessions{status="Begin"} 3.0
      txc_tc_global_sessions{status="CommitRetrying"} 2.0
      txc_tc_oldest_session_seconds 12.5
      """;

  @Test
  void parse_readsNamesLabelsAndValues_andSkipsComments() {
    MetricsScrape page = MetricsScrape.parse(MALL_BEFORE);

    assertThat(page.samples()).hasSize(7);
    assertThat(
            page.sum("txc_global_transactions_total", s -> s.label("outcome").equals("committed")))
        .isEqualTo(10.0);
    assertThat(
            MetricsScrape.parse("txc_tc_oldest_session_seconds 12.5")
                .sum("txc_tc_oldest_session_seconds"))
        .isEqualTo(12.5);
    assertThat(MetricsScrape.parse("not a metric line {").samples()).isEmpty();
  }

  @Test
  void quantile_interpolatesWithinTheBucketOfTheIntervalsObservations() {
    Map<Double, Double> before =
        MetricsScrape.parse(MALL_BEFORE).buckets("txc_global_transaction_seconds", s -> true);
    Map<Double, Double> after =
        MetricsScrape.parse(MALL_AFTER).buckets("txc_global_transaction_seconds", s -> true);

    // the interval's 20 observations: 10 in (0.01, 0.05], 10 in (0.05, 0.1]
    assertThat(MetricsScrape.quantile(0.5, before, after)).isCloseTo(0.05, within(1e-9));
    assertThat(MetricsScrape.quantile(0.25, before, after)).isCloseTo(0.03, within(1e-9));
    assertThat(MetricsScrape.quantile(0.99, before, after)).isCloseTo(0.099, within(1e-9));
    assertThat(MetricsScrape.quantile(0.5, after, after)).isNaN();
  }

  @Test
  void theScreen_showsRatesBacklogLeaderDoubtAndDownProcesses() {
    Map<String, MetricsScrape> before = new LinkedHashMap<>();
    before.put("mall", MetricsScrape.parse(MALL_BEFORE));
    before.put("relay-1", MetricsScrape.parse(RELAY));
    before.put("tc", MetricsScrape.parse(TC));
    before.put("portal", MetricsScrape.parse(""));
    Map<String, MetricsScrape> after = new LinkedHashMap<>(before);
    after.put("mall", MetricsScrape.parse(MALL_AFTER));
    after.put("portal", null); // did not answer

    String screen = TopCommand.render(before, after, 2, LocalTime.of(12, 0));

    assertThat(screen)
        .contains("orders/s 10.0 (0.0 rolled back)")
        .contains("confirm 10.0")
        .contains("p50 50 ms")
        .contains("outbox mall")
        .contains("pending 4 (oldest 0.5 s)")
        .contains("dead 1")
        .contains("leader relay-1")
        .contains("sessions 5  retrying 2  oldest 12.5 s")
        .contains("3 up, 1 down")
        .contains("portal DOWN");
  }
}
