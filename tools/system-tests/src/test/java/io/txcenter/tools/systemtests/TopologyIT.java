package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.points.api.PointsBalance;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.tools.audit.Audit;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.ClusterSecrets;
import io.txcenter.tools.topology.Registrations;
import io.txcenter.tools.topology.TopologyConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole topology as real processes — ZooKeeper, the Seata TC, two points channels, portal,
 * account and mall, each its own JVM, registered in ZooKeeper and talking Dubbo over loopback — on
 * a real MySQL-protocol database. The mall runs without its pre-check so refusals happen inside the
 * global transaction.
 */
@ExtendWith(SharedTopology.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyIT {

  private static final String A = SharedTopology.A;
  private static final String B = SharedTopology.B;
  private static final AtomicLong USERS = new AtomicLong(System.currentTimeMillis() % 1_000_000);
  private static final String CONSOLE_PASSWORD = SharedTopology.CONSOLE_PASSWORD;

  private static TopologyConfig config;
  private static Clients clients;

  @BeforeAll
  static void useSharedTopology() {
    config = SharedTopology.get().config();
    clients = SharedTopology.get().clients();
  }

  @Test
  @Order(1)
  void everyAddressRegisteredInZooKeeper_isLoopback() throws Exception {
    List<Registrations.Registration> registrations =
        Registrations.read(config.zkAddress(), ClusterSecrets.zooKeeperCredential(config.runDir()));

    assertThat(registrations).isNotEmpty().allMatch(r -> r.host().equals("127.0.0.1"));
    assertThat(registrations)
        .anyMatch(r -> r.path().equals("/registry/zk/default/127.0.0.1:" + config.tcPort()));
    for (String service :
        List.of("PointsService", "PortalService", "AccountService", "MallService")) {
      assertThat(registrations)
          .as("provider of %s", service)
          .anyMatch(r -> r.path().contains(service) && r.path().contains("/providers/"));
    }
  }

  @Test
  @Order(2)
  void committedOrder_changesEveryBalanceExactlyOnce_andARepeatChangesNothing() {
    long user = newUser(500, 400);
    ChannelQuota quotaA = clients.portal().quota(A);
    ChannelQuota quotaB = clients.portal().quota(B);
    PlaceOrderRequest order = order(user, new OrderLine(A, 120), new OrderLine(B, 80));

    OrderResult result = clients.mall().placeOrder(order);
    OrderResult repeated = clients.mall().placeOrder(order);

    assertThat(result.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(result.duplicate()).isFalse();
    assertThat(repeated.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(repeated.duplicate()).isTrue();
    assertThat(repeated.xid()).isEqualTo(result.xid());
    assertPoints(A, user, 380, 0, 120);
    assertPoints(B, user, 320, 0, 80);
    assertThat(clients.portal().quota(A).used()).isEqualTo(quotaA.used() + 120);
    assertThat(clients.portal().quota(B).used()).isEqualTo(quotaB.used() + 80);
    assertThat(clients.portal().quota(A).frozen()).isZero();
  }

  @Test
  @Order(3)
  void orderFailingInThePortalTry_isCancelled_andLeavesBothChannelsUnfrozen() {
    long user = newUser(5_000_000, 5_000_000);
    ChannelQuota quotaA = clients.portal().quota(A);
    ChannelQuota quotaB = clients.portal().quota(B);
    PlaceOrderRequest order =
        order(user, new OrderLine(A, 10), new OrderLine(B, quotaB.available() + 1));

    OrderResult result = clients.mall().placeOrder(order);

    assertThat(result.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(result.rejectCode()).isEqualTo("QUOTA_EXHAUSTED");
    assertPoints(A, user, 5_000_000, 0, 0);
    assertPoints(B, user, 5_000_000, 0, 0);
    assertThat(clients.portal().quota(A)).isEqualTo(quotaA);
    assertThat(clients.portal().quota(B)).isEqualTo(quotaB);
    assertThat(clients.mall().order(order.orderNo()).status()).isEqualTo(OrderStatus.CANCELLED);
  }

  @Test
  @Order(4)
  void orderFailingInAChannelTry_isCancelled_andFreezesNothingAnywhere() {
    long user = newUser(1_000, 50);
    ChannelQuota quotaA = clients.portal().quota(A);
    PlaceOrderRequest order = order(user, new OrderLine(A, 300), new OrderLine(B, 51));

    OrderResult result = clients.mall().placeOrder(order);

    assertThat(result.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(result.rejectCode()).isEqualTo("INSUFFICIENT_POINTS");
    assertPoints(A, user, 1_000, 0, 0);
    assertPoints(B, user, 50, 0, 0);
    assertThat(clients.portal().quota(A)).isEqualTo(quotaA);
  }

  @Test
  @Order(5)
  void badInput_isRefusedWithAStableCode_andChangesNothing() {
    long user = newUser(100, 100);

    assertRefused(order(user, new OrderLine(A, -5)), MallErrorCode.INVALID_AMOUNT);
    assertRefused(order(user, new OrderLine(A, 0)), MallErrorCode.INVALID_AMOUNT);
    assertRefused(order(user, new OrderLine("ch-zz", 5)), MallErrorCode.UNKNOWN_CHANNEL);
    assertRefused(
        order(user, new OrderLine(A, 5), new OrderLine(A, 5)), MallErrorCode.INVALID_REQUEST);
    assertRefused(
        new PlaceOrderRequest("bad order no", user, List.of(new OrderLine(A, 5))),
        MallErrorCode.INVALID_REQUEST);
    assertThatThrownBy(() -> clients.mall().order("no-such-order"))
        .isInstanceOfSatisfying(
            MallException.class, e -> assertThat(e.code()).isEqualTo(MallErrorCode.UNKNOWN_ORDER));

    assertPoints(A, user, 100, 0, 0);
  }

  @Test
  @Order(6)
  void console_refusesSeatasDefaultLogin_andAcceptsTheConfiguredOne() throws Exception {
    assertThat(login("seata", "seata")).doesNotContain("Bearer ");
    assertThat(login("txc-admin", CONSOLE_PASSWORD)).contains("Bearer ");
  }

  @Test
  @Order(7)
  void console_listsAGlobalTransactionWhileItIsOpen() throws Exception {
    SharedTopology.seataClient();
    GlobalTransaction tx = GlobalTransactionContext.createNew();
    tx.begin(60_000, "consoleProbe");
    try {
      String token =
          login("txc-admin", CONSOLE_PASSWORD).replaceAll(".*\"data\":\"([^\"]+)\".*", "$1");
      HttpRequest query =
          HttpRequest.newBuilder(
                  URI.create(
                      config.consoleUrl()
                          + "/api/v1/console/globalSession/query?pageNum=1&pageSize=100"))
              .header("Authorization", token)
              .GET()
              .build();
      String sessions =
          HttpClient.newHttpClient().send(query, HttpResponse.BodyHandlers.ofString()).body();

      assertThat(sessions).contains(tx.getXid()).contains("consoleProbe");
    } finally {
      tx.rollback();
    }
  }

  @Test
  @Order(8)
  void audit_findsNoViolations() {
    Audit.Result result = new Audit(config).run(Duration.ofSeconds(60), System.out);

    assertThat(result.violations()).isEmpty();
    assertThat(result.checks()).isGreaterThan(20);
  }

  private static String login(String user, String password) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.consoleUrl() + "/api/v1/auth/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void assertRefused(PlaceOrderRequest request, MallErrorCode code) {
    assertThatThrownBy(() -> clients.mall().placeOrder(request))
        .isInstanceOfSatisfying(MallException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static void assertPoints(
      String channel, long user, long available, long frozen, long spent) {
    PointsBalance balance = clients.points(channel).balance(channel, user);
    assertThat(List.of(balance.available(), balance.frozen(), balance.spent()))
        .as("points of user %d in %s", user, channel)
        .isEqualTo(List.of(available, frozen, spent));
  }

  private static long newUser(long pointsA, long pointsB) {
    long user = USERS.incrementAndGet();
    clients.points(A).grant(A, user, pointsA, "test TopologyIT");
    clients.points(B).grant(B, user, pointsB, "test TopologyIT");
    return user;
  }

  private static PlaceOrderRequest order(long user, OrderLine... lines) {
    return new PlaceOrderRequest(
        "it-" + UUID.randomUUID().toString().substring(0, 12), user, List.of(lines));
  }
}
