package io.txcenter.bench.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.portal.PortalServiceImpl;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.portal.store.QuotaMapper;
import io.txcenter.portal.tcc.QuotaFreezeTcc;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The benchmark's direct quota use on a real portal schema (moved from QuotaFreezeFenceIT). */
class DirectQuotaIT {

  private static final AtomicLong CHANNELS = new AtomicLong();

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static QuotaMapper quotas;
  private static PortalServiceImpl service;
  private static DirectQuota direct;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("portal", "common", "portal");
    jdbc = new JdbcTemplate(dataSource);
    PlatformTransactionManager transactions = TccFence.install(dataSource);
    quotas = MyBatisStore.open(dataSource, "mapper/QuotaMapper.xml").getMapper(QuotaMapper.class);
    service = new PortalServiceImpl(new QuotaFreezeTcc(quotas), quotas, transactions);
    direct = new DirectQuota(quotas, transactions);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void directUse_movesAvailableToUsed_withOneConfirmedRow_orRefusesAndChangesNothing() {
    String channel = channelWith(100);

    direct.use(new QuotaFreezeRequest("o-direct-1", List.of(new QuotaLine(channel, 40))));

    assertThat(balance(channel)).isEqualTo(List.of(60L, 0L, 40L));
    assertThat(
            jdbc.queryForObject(
                "SELECT status FROM quota_freeze WHERE channel_id = ? AND order_no = 'o-direct-1'",
                String.class,
                channel))
        .isEqualTo("CONFIRMED");
    assertCode(
        () -> direct.use(new QuotaFreezeRequest("o-direct-2", List.of(new QuotaLine(channel, 61)))),
        PortalErrorCode.QUOTA_EXHAUSTED);
    assertCode(
        () ->
            direct.use(
                new QuotaFreezeRequest("o-direct-3", List.of(new QuotaLine(nextChannel(), 1)))),
        PortalErrorCode.UNKNOWN_CHANNEL);
    assertCode(
        () -> direct.use(new QuotaFreezeRequest("o-direct-4", List.of(new QuotaLine(channel, 0)))),
        PortalErrorCode.INVALID_AMOUNT);
    assertCode(
        () -> direct.use(new QuotaFreezeRequest("bad order!", List.of(new QuotaLine(channel, 1)))),
        PortalErrorCode.INVALID_REQUEST);
    assertThat(balance(channel)).isEqualTo(List.of(60L, 0L, 40L));
  }

  private static void assertCode(ThrowingCallable call, PortalErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).startsWith(code.name());
            });
  }

  private static String nextChannel() {
    return "c" + CHANNELS.incrementAndGet();
  }

  private static String channelWith(long granted) {
    String channel = nextChannel();
    ChannelQuota quota = service.grant(channel, granted, "test");
    assertThat(quota.available()).isEqualTo(granted);
    return channel;
  }

  private static List<Long> balance(String channel) {
    ChannelQuota q = quotas.find(channel);
    assertThat(q.available() + q.frozen() + q.used()).isEqualTo(q.granted());
    return List.of(q.available(), q.frozen(), q.used());
  }
}
