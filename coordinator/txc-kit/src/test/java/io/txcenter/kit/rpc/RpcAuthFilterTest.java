package io.txcenter.kit.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.secrets.Secrets;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.RpcInvocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcAuthFilterTest {

  record FreezeRequest(String channelId, String orderNo, long userId, long points)
      implements Serializable {}

  static final String SERVICE = "io.txcenter.points.api.PointsService";
  static final URL URL_A =
      URL.valueOf(
          "dubbo://127.0.0.1:20881/"
              + SERVICE
              + "?interface="
              + SERVICE
              + "&group=ch-a&version=1.0&txc-allow-tryFreeze=mall&txc-allow-grant=operator");
  static final URL URL_B = URL_A.addParameter("group", "ch-b");
  static final String MALL_KEY = "mall-" + Secrets.randomToken(16);
  static final String PAYMENT_KEY = "payment-" + Secrets.randomToken(16);

  @TempDir static Path dir;

  @BeforeAll
  static void secrets() {
    Path file = dir.resolve("cluster.properties");
    Secrets.writeFile(file, Map.of("rpc.key.mall", MALL_KEY, "rpc.key.payment", PAYMENT_KEY));
    System.setProperty(Secrets.FILE_KEY, file.toString());
    Secrets.reload();
  }

  @AfterAll
  static void forget() {
    System.clearProperty(Secrets.FILE_KEY);
    Secrets.reload();
  }

  private final RpcAuthFilter filter = new RpcAuthFilter();

  static RpcInvocation freeze(FreezeRequest request) {
    return new RpcInvocation(
        "tryFreeze",
        SERVICE,
        SERVICE,
        new Class<?>[] {FreezeRequest.class},
        new Object[] {request});
  }

  static RpcInvocation signed(String identity, String key, long now, String nonce) {
    RpcInvocation invocation = freeze(new FreezeRequest("ch-a", "o-1", 7, 100));
    RpcSignFilter.attachSignature(invocation, URL_A, identity, key, now, nonce);
    return invocation;
  }

  private SecurityException check(RpcInvocation invocation, URL url, long now) {
    return filter.check(url, invocation, invocation.getAttachment(RpcSignature.CALLER), now);
  }

  @Test
  void givenTheMallsSignature_tryFreezeIsAllowed() {
    long now = System.currentTimeMillis();
    assertThat(check(signed("mall", MALL_KEY, now, "n-ok"), URL_A, now)).isNull();
  }

  @Test
  void givenNoCredential_theCallIsUnauthenticated() {
    SecurityException refusal = check(freeze(new FreezeRequest("ch-a", "o-1", 7, 100)), URL_A, 0);

    assertThat(refusal).hasMessage("UNAUTHENTICATED: no credential");
  }

  @Test
  void givenAnotherApplicationsValidSignature_theCallIsForbidden() {
    long now = System.currentTimeMillis();
    SecurityException refusal = check(signed("payment", PAYMENT_KEY, now, "n-pay"), URL_A, now);

    assertThat(refusal)
        .hasMessage("FORBIDDEN: caller [payment] may not call PointsService.tryFreeze");
  }

  @Test
  void givenAClaimedIdentitySignedWithAnotherKey_theSignatureIsBad() {
    long now = System.currentTimeMillis();
    SecurityException refusal = check(signed("mall", PAYMENT_KEY, now, "n-claim"), URL_A, now);

    assertThat(refusal).hasMessage("UNAUTHENTICATED: bad signature");
  }

  @Test
  void givenATamperedArgument_theSignatureIsBad() {
    long now = System.currentTimeMillis();
    RpcInvocation invocation = signed("mall", MALL_KEY, now, "n-tamper");
    invocation.setArguments(new Object[] {new FreezeRequest("ch-a", "o-1", 8, 100)});

    assertThat(check(invocation, URL_A, now)).hasMessage("UNAUTHENTICATED: bad signature");
  }

  @Test
  void givenASignedCallSentToAnotherGroup_theSignatureIsBad() {
    long now = System.currentTimeMillis();
    assertThat(check(signed("mall", MALL_KEY, now, "n-group"), URL_B, now))
        .hasMessage("UNAUTHENTICATED: bad signature");
  }

  @Test
  void givenAnInjectedXid_theSignatureIsBad() {
    long now = System.currentTimeMillis();
    RpcInvocation invocation = signed("mall", MALL_KEY, now, "n-xid");
    invocation.setAttachment("tx_xid", "127.0.0.1:8091:666");

    assertThat(check(invocation, URL_A, now)).hasMessage("UNAUTHENTICATED: bad signature");
  }

  @Test
  void givenTheSameSignedRequestTwice_theSecondIsAReplay() {
    long now = System.currentTimeMillis();
    RpcInvocation invocation = signed("mall", MALL_KEY, now, "n-replay");

    assertThat(check(invocation, URL_A, now)).isNull();
    assertThat(check(invocation, URL_A, now + 5_000))
        .hasMessage("UNAUTHENTICATED: replayed request");
  }

  @Test
  void givenAStaleOrFutureTimestamp_theCallIsRefused() {
    long now = System.currentTimeMillis();
    assertThat(check(signed("mall", MALL_KEY, now - 61_000, "n-old"), URL_A, now).getMessage())
        .startsWith("UNAUTHENTICATED: timestamp outside the window");
    assertThat(check(signed("mall", MALL_KEY, now + 61_000, "n-new"), URL_A, now).getMessage())
        .startsWith("UNAUTHENTICATED: timestamp outside the window");
  }

  @Test
  void givenAnUnknownIdentity_theCallIsRefused() {
    long now = System.currentTimeMillis();
    assertThat(check(signed("intruder", "guess", now, "n-x"), URL_A, now))
        .hasMessage("UNAUTHENTICATED: unknown caller [intruder]");
  }

  @Test
  void givenAMethodWithoutARule_evenAValidCallerIsForbidden() {
    long now = System.currentTimeMillis();
    RpcInvocation invocation =
        new RpcInvocation(
            "tryCredit",
            SERVICE,
            SERVICE,
            new Class<?>[] {FreezeRequest.class},
            new Object[] {new FreezeRequest("ch-a", "o-1", 7, 100)});
    RpcSignFilter.attachSignature(invocation, URL_A, "mall", MALL_KEY, now, "n-rule");

    assertThat(check(invocation, URL_A, now).getMessage())
        .isEqualTo("FORBIDDEN: caller [mall] may not call PointsService.tryCredit");
  }

  /**
   * Not a limit: prints the cost of signing and verifying one typical Try, for docs/security.md.
   */
  @Test
  void measure_signAndVerify() {
    long now = System.currentTimeMillis();
    int warmup = 20_000;
    int rounds = 100_000;
    for (int i = 0; i < warmup; i++) {
      check(signed("mall", MALL_KEY, now, "w-" + i), URL_A, now);
    }
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      SecurityException refusal = check(signed("mall", MALL_KEY, now, "m-" + i), URL_A, now);
      if (refusal != null) {
        throw refusal;
      }
    }
    long perCall = (System.nanoTime() - start) / rounds;
    System.out.printf("rpc auth cost: sign+verify of one tryFreeze = %d ns%n", perCall);
    assertThat(perCall).isPositive();
  }
}
