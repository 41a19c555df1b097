package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.kit.DubboNode;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.points.api.PointsErrorCode;
import io.txcenter.points.api.PointsException;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.PortalErrorCode;
import io.txcenter.portal.api.PortalException;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.tools.topology.Clients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, defects 6 to 8 through real Dubbo, a real TC and the real services: a reused order
 * number, a second reservation of one business key in one global transaction, a foreign class in a
 * request, a forged or finished XID.
 */
@ExtendWith(SharedTopology.class)
class HostileInputIT {

  private static final String A = SharedTopology.A;
  private static final AtomicLong USERS =
      new AtomicLong(800_000_000 + System.currentTimeMillis() % 1_000_000);

  private static Clients clients;
  private static DubboNode mallIdentity;
  private static DubboNode paymentIdentity;

  @BeforeAll
  static void useSharedTopology() {
    clients = SharedTopology.get().clients();
    mallIdentity = ActAs.identity("mall");
    paymentIdentity = ActAs.identity("payment");
    SharedTopology.seataClient();
  }

  @Test
  void givenTwoConcurrentOrdersOfOneNumberWithOtherContent_oneIsPlaced_theOtherIsRefused()
      throws Exception {
    for (int round = 0; round < 5; round++) {
      long alice = userWith(1_000);
      long bob = userWith(1_000);
      String orderNo = order("race");
      PlaceOrderRequest ofAlice = new PlaceOrderRequest(orderNo, alice, List.of(line(10)));
      PlaceOrderRequest ofBob = new PlaceOrderRequest(orderNo, bob, List.of(line(10)));
      CyclicBarrier start = new CyclicBarrier(2);

      CompletableFuture<Object> first = placeAsync(start, ofAlice);
      CompletableFuture<Object> second = placeAsync(start, ofBob);
      List<Object> outcomes =
          List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));

      assertThat(outcomes)
          .as("round %d: one placed, one refused", round)
          .filteredOn(o -> o instanceof OrderResult r && !r.duplicate())
          .hasSize(1);
      assertThat(outcomes)
          .filteredOn(
              o -> o instanceof MallException e && e.code() == MallErrorCode.DUPLICATE_ORDER)
          .hasSize(1);
      OrderResult placed = clients.mall().order(orderNo);
      long winner = outcomes.get(0) instanceof OrderResult ? alice : bob;
      long loser = winner == alice ? bob : alice;
      assertThat(points(loser).frozen() + points(loser).spent()).isZero();
      // an identical repeat of the winner's request gets its outcome
      OrderResult repeat =
          clients.mall().placeOrder(new PlaceOrderRequest(orderNo, winner, List.of(line(10))));
      assertThat(repeat.duplicate()).isTrue();
      assertThat(repeat.status()).isEqualTo(placed.status());
      assertThat(repeat.xid()).isEqualTo(placed.xid());
    }
  }

  @Test
  void givenTwoFreezesOfOneOrderInOneGlobalTransaction_theSecondIsRefused() throws Exception {
    long user = userWith(1_000);
    String orderNo = order("twice");
    PointsService points = mallIdentity.reference(PointsService.class, A);
    PortalService portal = mallIdentity.reference(PortalService.class, null);
    long quotaFrozenBefore = clients.portal().quota(A).frozen();

    GlobalTransaction tx = GlobalTransactionContext.createNew();
    tx.begin(60_000, "hostile-double-freeze");
    try {
      points.tryFreeze(new FreezeRequest(A, orderNo, user, 100));
      assertThatThrownBy(() -> points.tryFreeze(new FreezeRequest(A, orderNo, user, 100)))
          .isInstanceOfSatisfying(
              PointsException.class,
              e -> assertThat(e.code()).isEqualTo(PointsErrorCode.DUPLICATE_RESERVATION));
      portal.tryFreezeQuota(new QuotaFreezeRequest(orderNo, List.of(new QuotaLine(A, 100))));
      assertThatThrownBy(
              () ->
                  portal.tryFreezeQuota(
                      new QuotaFreezeRequest(orderNo, List.of(new QuotaLine(A, 100)))))
          .isInstanceOfSatisfying(
              PortalException.class,
              e -> assertThat(e.code()).isEqualTo(PortalErrorCode.DUPLICATE_RESERVATION));
      assertThat(points(user).frozen()).isEqualTo(100);
      assertThat(clients.portal().quota(A).frozen()).isGreaterThanOrEqualTo(quotaFrozenBefore);
    } finally {
      tx.rollback();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> points(user).frozen() == 0);
    assertThat(points(user).available()).isEqualTo(1_000);
  }

  @Test
  void givenAForgedOrFinishedXid_everyParticipantAnswersTransactionNotActive_andChangesNothing()
      throws Exception {
    long user = userWith(1_000);
    PointsService points = mallIdentity.reference(PointsService.class, A);
    PortalService portal = mallIdentity.reference(PortalService.class, null);
    AccountService accounts = paymentIdentity.reference(AccountService.class, null);
    String account = "m-xid-" + UUID.randomUUID().toString().substring(0, 8);
    clients.account().open(account, 0, "test HostileInputIT");
    GlobalTransaction finished = GlobalTransactionContext.createNew();
    finished.begin(60_000, "hostile-finished");
    String finishedXid = finished.getXid();
    finished.commit();
    String forged =
        finishedXid.substring(0, finishedXid.lastIndexOf(':') + 1)
            + (Long.MAX_VALUE - System.nanoTime() % 1_000_000);

    for (String xid : List.of(forged, finishedXid)) {
      assertThat(
              underXid(
                  xid,
                  () ->
                      catching(() -> points.tryFreeze(new FreezeRequest(A, order("x"), user, 5)))))
          .isInstanceOfSatisfying(
              PointsException.class,
              e -> assertThat(e.code()).as(xid).isEqualTo(PointsErrorCode.TRANSACTION_NOT_ACTIVE));
      assertThat(
              underXid(
                  xid,
                  () ->
                      catching(
                          () ->
                              portal.tryFreezeQuota(
                                  new QuotaFreezeRequest(
                                      order("x"), List.of(new QuotaLine(A, 5)))))))
          .isInstanceOfSatisfying(
              PortalException.class,
              e -> assertThat(e.code()).as(xid).isEqualTo(PortalErrorCode.TRANSACTION_NOT_ACTIVE));
      assertThat(
              underXid(
                  xid,
                  () ->
                      catching(
                          () ->
                              accounts.tryCredit(
                                  new io.txcenter.account.api.CreditRequest(
                                      account, order("x"), 5)))))
          .isInstanceOfSatisfying(
              AccountException.class,
              e -> assertThat(e.code()).as(xid).isEqualTo(AccountErrorCode.TRANSACTION_NOT_ACTIVE));
    }

    assertThat(points(user).available()).isEqualTo(1_000);
    assertThat(points(user).frozen()).isZero();
    assertThat(clients.account().balance(account).pendingCredit()).isZero();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void givenAnObjectOfAClassOutsideTheApiInARequest_theCallerGetsInvalidRequest_notAClassCast() {
    long user = userWith(1_000);
    MallService mall = clients.mall();
    HashMap<String, Object> lineAsMap = new HashMap<>();
    lineAsMap.put("channelId", A);
    lineAsMap.put("points", 1L);
    for (Object foreign :
        List.of("ch-a:1", lineAsMap, new FreezeRequest(A, "o-foreign", user, 1))) {
      String orderNo = order("foreign");
      List lines = new ArrayList<>();
      lines.add(line(1));
      lines.add(foreign);

      assertThatThrownBy(() -> mall.placeOrder(new PlaceOrderRequest(orderNo, user, lines)))
          .as("%s", foreign.getClass())
          .isInstanceOfSatisfying(
              MallException.class,
              e -> assertThat(e.code()).isEqualTo(MallErrorCode.INVALID_REQUEST));
      assertThatThrownBy(() -> mall.order(orderNo))
          .isInstanceOfSatisfying(
              MallException.class,
              e -> assertThat(e.code()).isEqualTo(MallErrorCode.UNKNOWN_ORDER));
    }
    assertThat(points(user).available()).isEqualTo(1_000);
  }

  @Test
  void givenAMillionCharacterOrderNumber_theErrorThroughDubboEchoesOnly64Characters() {
    String huge = "o".repeat(1_000_000);

    assertThatThrownBy(
            () ->
                clients
                    .mall()
                    .placeOrder(new PlaceOrderRequest(huge, 1, List.of(new OrderLine(A, 1)))))
        .isInstanceOfSatisfying(
            MallException.class,
            e -> {
              assertThat(e.code()).isEqualTo(MallErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).hasSizeLessThan(200);
            });
  }

  private static Throwable underXid(String xid, Supplier<Throwable> call) {
    RootContext.bind(xid);
    try {
      return call.get();
    } finally {
      RootContext.unbind();
      RpcContext.getClientAttachment().removeAttachment(RootContext.KEY_XID);
    }
  }

  /**
   * Leaves this thread as it found it: no XID bound, none left in Dubbo's attachments, so that the
   * shared topology's next test does not call the mall inside this test's transaction.
   */
  @AfterEach
  void forgetXid() {
    RootContext.unbind();
    RpcContext.getClientAttachment().removeAttachment(RootContext.KEY_XID);
    RpcContext.getServerAttachment().removeAttachment(RootContext.KEY_XID);
    assertThat(RootContext.getXID()).isNull();
  }

  private static Throwable catching(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  private static CompletableFuture<Object> placeAsync(
      CyclicBarrier start, PlaceOrderRequest request) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            start.await(10, TimeUnit.SECONDS);
            return clients.mall().placeOrder(request);
          } catch (MallException e) {
            return e;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static long userWith(long points) {
    long user = USERS.incrementAndGet();
    clients.points(A).grant(A, user, points, "test HostileInputIT");
    return user;
  }

  private static PointsBalance points(long user) {
    return clients.points(A).balance(A, user);
  }

  private static OrderLine line(long points) {
    return new OrderLine(A, points);
  }

  private static String order(String what) {
    return "it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
