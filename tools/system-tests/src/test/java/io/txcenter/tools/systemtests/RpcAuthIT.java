package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.kit.DubboNode;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.TopologyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.dubbo.rpc.RpcException;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hostile callers against the real topology: no credential, a valid credential of the wrong
 * application, a forged event, a replayed and a tampered signed request. Each is refused with a
 * typed {@link SecurityException} and changes nothing; the legitimate caller's call still works.
 */
@ExtendWith(SharedTopology.class)
class RpcAuthIT {

  private static final String A = SharedTopology.A;
  private static final AtomicLong USERS =
      new AtomicLong(700_000_000 + System.currentTimeMillis() % 1_000_000);
  private static final Class<?>[] GRANT = {String.class, long.class, long.class, String.class};

  private static TopologyConfig config;
  private static Clients clients;
  private static JdbcTemplate jdbc;
  private static DubboNode payment;
  private static DubboNode mall;

  @BeforeAll
  static void useSharedTopology() {
    config = SharedTopology.get().config();
    clients = SharedTopology.get().clients();
    jdbc = config.serverJdbc();
    payment = ActAs.identity("payment");
    mall = ActAs.identity("mall");
  }

  @Test
  void givenNoCredential_providersRefuse_andNothingChanges() {
    long user = USERS.incrementAndGet();
    PointsService points =
        ActAs.anonymous(
            PointsService.class, A, config.port("points", config.channels().indexOf(A)));
    AccountService accounts = ActAs.anonymous(AccountService.class, null, config.port("account"));
    String account = "m-anon-" + UUID.randomUUID().toString().substring(0, 8);

    assertUnauthenticated(
        () -> points.grant(A, user, 1_000_000_000L, "test RpcAuthIT"), "no credential");
    assertUnauthenticated(
        () -> accounts.open(account, 1_000_000_000L, "test RpcAuthIT"), "no credential");

    assertNoPoints(user);
    assertThatThrownBy(() -> clients.account().balance(account))
        .isInstanceOf(AccountException.class)
        .hasMessageContaining("not found");
  }

  @Test
  void givenThePaymentServicesCredential_freezingAndGrantingPointsAreForbidden_andNothingChanges()
      throws Exception {
    long user = USERS.incrementAndGet();
    clients.points(A).grant(A, user, 1_000, "test RpcAuthIT");
    PointsService asPayment = payment.reference(PointsService.class, A);
    SharedTopology.seataClient();

    GlobalTransaction tx = GlobalTransactionContext.createNew();
    tx.begin(60_000, "rpcauth-wrong-caller");
    SecurityException refusal =
        catchRpc(() -> asPayment.tryFreeze(new FreezeRequest(A, order(), user, 600)));
    tx.commit();

    assertThat(refusal)
        .hasMessageStartingWith("FORBIDDEN: caller [payment] may not call PointsService.tryFreeze");
    assertForbidden(
        () -> asPayment.grant(A, user, 1_000_000_000L, "test RpcAuthIT"), "PointsService.grant");
    assertForbidden(
        () ->
            payment
                .reference(AccountService.class, null)
                .open("m-pay", 1_000_000_000L, "test RpcAuthIT"),
        "AccountService.open");
    // issue 13: hasAccount is the payment service's alone (it refuses payments to no account)
    assertForbidden(
        () -> mall.reference(AccountService.class, null).hasAccount("m-pay"),
        "AccountService.hasAccount");
    assertThat(payment.reference(AccountService.class, null).hasAccount("m-no-such")).isFalse();
    PointsBalance after = clients.points(A).balance(A, user);
    assertThat(List.of(after.available(), after.frozen(), after.spent(), after.granted()))
        .containsExactly(1_000L, 0L, 0L, 1_000L);

    // the same Try with the mall's credential goes through (and is rolled back here)
    GlobalTransaction control = GlobalTransactionContext.createNew();
    control.begin(60_000, "rpcauth-right-caller");
    mall.reference(PointsService.class, A).tryFreeze(new FreezeRequest(A, order(), user, 600));
    assertThat(clients.points(A).balance(A, user).frozen()).isEqualTo(600);
    control.rollback();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> clients.points(A).balance(A, user).frozen() == 0);
  }

  @Test
  void givenTheMallsCredential_creditingPointsOrMoneyIsForbidden_andNothingIsCredited()
      throws Exception {
    long user = USERS.incrementAndGet();
    String merchant = "m-credit-" + UUID.randomUUID().toString().substring(0, 8);
    clients.account().open(merchant, 0, "test RpcAuthIT");
    SharedTopology.seataClient();

    GlobalTransaction tx = GlobalTransactionContext.createNew();
    tx.begin(60_000, "rpcauth-credit-wrong-caller");
    SecurityException points =
        catchRpc(
            () ->
                mall.reference(PointsService.class, A)
                    .tryCredit(
                        new io.txcenter.points.api.CreditRequest(A, order(), user, 1_000_000)));
    SecurityException money =
        catchRpc(
            () ->
                mall.reference(AccountService.class, null)
                    .tryCredit(
                        new io.txcenter.account.api.CreditRequest(
                            merchant, order(), 1_000_000_00L)));
    tx.commit();

    assertThat(points)
        .hasMessageStartingWith("FORBIDDEN: caller [mall] may not call PointsService.tryCredit");
    assertThat(money)
        .hasMessageStartingWith("FORBIDDEN: caller [mall] may not call AccountService.tryCredit");
    assertNoPoints(user);
    assertThat(clients.account().balance(merchant))
        .satisfies(
            b -> {
              assertThat(b.balance()).isZero();
              assertThat(b.pendingCredit()).isZero();
            });
  }

  @Test
  void givenAForgedEventFromTheOperator_theSubscriberRefusesIt_andTheRealEventIsStillApplied() {
    String orderNo = order();
    EventMessage forged =
        new EventMessage(
            UUID.randomUUID().toString(),
            "accompaniment",
            "OPS,CS",
            orderNo,
            "{\"event\":\"ORDER_PLACED\",\"orderNo\":\"" + orderNo + "\"}",
            Map.of("forged", "yes"),
            System.currentTimeMillis(),
            0);

    assertForbidden(() -> clients.consumer("ops").consume(forged), "EventConsumer.consume");
    assertThat(SharedTopology.eventsApplied("ops", orderNo)).isEmpty();

    long user = USERS.incrementAndGet();
    clients.points(A).grant(A, user, 100, "test RpcAuthIT");
    assertThat(
            clients
                .mall()
                .placeOrder(new PlaceOrderRequest(orderNo, user, List.of(new OrderLine(A, 10))))
                .status())
        .isEqualTo(OrderStatus.CONFIRMED);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> SharedTopology.eventsApplied("ops", orderNo).equals(List.of("ORDER_PLACED")));
  }

  @Test
  void givenASignedRequestSentTwice_theReplayIsRefused_andAppliedOnce() {
    long user = USERS.incrementAndGet();
    PointsService points =
        ActAs.anonymous(
            PointsService.class, A, config.port("points", config.channels().indexOf(A)));
    Map<String, String> signed =
        ActAs.signed(
            "operator", PointsService.class, A, "grant", GRANT, A, user, 5L, "test RpcAuthIT");

    ActAs.attach(signed);
    assertThat(points.grant(A, user, 5, "test RpcAuthIT").granted()).isEqualTo(5);
    ActAs.attach(signed);
    assertUnauthenticated(() -> points.grant(A, user, 5, "test RpcAuthIT"), "replayed request");

    assertThat(clients.points(A).balance(A, user).granted()).isEqualTo(5);
  }

  @Test
  void givenASignedRequestWithATamperedArgument_itIsRefused_andNothingChanges() {
    long user = USERS.incrementAndGet();
    PointsService points =
        ActAs.anonymous(
            PointsService.class, A, config.port("points", config.channels().indexOf(A)));

    ActAs.attach(
        ActAs.signed(
            "operator", PointsService.class, A, "grant", GRANT, A, user, 5L, "test RpcAuthIT"));
    assertUnauthenticated(
        () -> points.grant(A, user, 5_000_000, "test RpcAuthIT"), "bad signature");

    assertNoPoints(user);
  }

  @Test
  void givenUp_theBenchmarkOnlyServicesAreNotExported() {
    long user = USERS.incrementAndGet();
    clients.points(A).grant(A, user, 100, "test RpcAuthIT");
    DirectPointsService direct = mall.reference(DirectPointsService.class, A);

    assertThatThrownBy(() -> direct.spend(new FreezeRequest(A, order(), user, 100)))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("No provider available");

    assertThat(clients.points(A).balance(A, user).available()).isEqualTo(100);
  }

  @Test
  void givenTheOperator_grantWorks() {
    long user = USERS.incrementAndGet();

    clients.points(A).grant(A, user, 7, "test RpcAuthIT");

    assertThat(clients.points(A).balance(A, user).available()).isEqualTo(7);
  }

  /** The user was never granted anything in channel A: no points row at all. */
  private static void assertNoPoints(long user) {
    assertThatThrownBy(() -> clients.points(A).balance(A, user))
        .isInstanceOf(PointsException.class)
        .hasMessageStartingWith("UNKNOWN_USER");
  }

  private static void assertUnauthenticated(Runnable call, String reason) {
    SecurityException refusal = catchRpc(call);
    assertThat(refusal).hasMessage("UNAUTHENTICATED: " + reason);
  }

  private static void assertForbidden(Runnable call, String method) {
    SecurityException refusal = catchRpc(call);
    assertThat(refusal.getMessage()).startsWith("FORBIDDEN: caller [").endsWith(method);
  }

  private static SecurityException catchRpc(Runnable call) {
    try {
      call.run();
    } catch (SecurityException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  private static String order() {
    return "it-auth-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
