package io.txcenter.bench.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.points.PointsServiceImpl;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.store.PointsMapper;
import io.txcenter.points.tcc.PointsCreditTcc;
import io.txcenter.points.tcc.PointsFreezeTcc;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The benchmark's direct spend on a real points schema (moved from PointsFreezeFenceIT). */
class DirectPointsIT {

  private static final String CHANNEL = "ch-t";
  private static final AtomicLong USERS = new AtomicLong(1_000);

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static PointsMapper points;
  private static PointsServiceImpl service;
  private static DirectPoints direct;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("points", "common", "points");
    jdbc = new JdbcTemplate(dataSource);
    PlatformTransactionManager transactions = TccFence.install(dataSource);
    points = MyBatisStore.open(dataSource, "mapper/PointsMapper.xml").getMapper(PointsMapper.class);
    service =
        new PointsServiceImpl(
            CHANNEL,
            new PointsFreezeTcc(points),
            new PointsCreditTcc(points),
            points,
            transactions);
    direct = new DirectPoints(CHANNEL, service, points, transactions);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void directSpend_movesAvailableToSpent_withOneConfirmedRow_orRefusesAndChangesNothing() {
    long user = userWith(100);

    direct.spend(new FreezeRequest(CHANNEL, "o-direct-1", user, 30));

    assertThat(balance(user)).isEqualTo(List.of(70L, 0L, 30L));
    assertThat(
            jdbc.queryForObject(
                "SELECT status FROM points_freeze WHERE order_no = 'o-direct-1'", String.class))
        .isEqualTo("CONFIRMED");
    assertThatThrownBy(() -> direct.spend(new FreezeRequest(CHANNEL, "o-direct-2", user, 71)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.INSUFFICIENT_POINTS));
    assertThatThrownBy(() -> direct.spend(new FreezeRequest(CHANNEL, "o-direct-3", 44_444_444L, 1)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.UNKNOWN_USER));
    assertThatThrownBy(() -> direct.spend(new FreezeRequest(CHANNEL, "o-direct-4", user, 0)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.INVALID_AMOUNT));
    assertThatThrownBy(() -> direct.spend(new FreezeRequest("ch-zz", "o-direct-5", user, 1)))
        .isInstanceOfSatisfying(
            PointsException.class,
            e -> assertThat(e.code()).isEqualTo(PointsErrorCode.UNKNOWN_CHANNEL));
    assertThat(balance(user)).isEqualTo(List.of(70L, 0L, 30L));
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM points_freeze WHERE order_no LIKE 'o-direct-%'", Long.class))
        .isEqualTo(1);
  }

  private static long userWith(long granted) {
    long user = USERS.incrementAndGet();
    PointsBalance balance = service.grant(CHANNEL, user, granted, "test");
    assertThat(balance.available()).isEqualTo(granted);
    return user;
  }

  /** [available, frozen, spent] of the user, after checking they add up to what was granted. */
  private static List<Long> balance(long user) {
    PointsBalance b = points.find(CHANNEL, user);
    assertThat(b.available() + b.frozen() + b.spent() - b.credited()).isEqualTo(b.granted());
    return List.of(b.available(), b.frozen(), b.spent());
  }
}
