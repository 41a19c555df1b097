package io.txcenter.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.txcenter.payment.api.NotificationSignature;
import io.txcenter.secrets.Hmac;
import io.txcenter.secrets.Secrets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forged notifications against the merchant's endpoint, over real HTTP on loopback: each is
 * answered 401 and counts for nothing; the platform's signed one is answered as before.
 */
class MerchantEndpointTest {

  private static final long NOW = 1_796_300_000L;
  private static final String MASTER = Secrets.randomToken(32);
  private static final String BODY = "{\"paymentNo\":\"pay-1\",\"merchantId\":\"m-tea\"}";

  private final Map<String, String> secrets =
      new HashMap<>(Map.of(NotificationSignature.MASTER_KEY, MASTER));
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/notify/",
        new MerchantEndpoint(
            name -> Optional.ofNullable(secrets.get(name)),
            2,
            calls,
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC),
            300));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void givenTheSignedNotification_itIsAnsweredAsBefore_busyTwiceThenSuccess() throws Exception {
    String signature = sign(Hmac.derive(MASTER, "m-tea"), NOW, "7", "m-tea", BODY);
    List<String> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(answer(post("m-tea", BODY, NOW, "7", signature)));
    }

    assertThat(answers)
        .containsExactly("503 busy, try later", "503 busy, try later", "200 SUCCESS");
  }

  @Test
  void givenForgedNotifications_eachIs401_notSuccess_andCountsForNothing() throws Exception {
    String key = Hmac.derive(MASTER, "m-tea");
    String good = sign(key, NOW, "7", "m-tea", BODY);
    String paid = BODY.replace("}", ",\"status\":\"PAID\"}");

    List<HttpResponse<String>> forged =
        List.of(
            post("m-tea", BODY, null, null, null), // unsigned
            post("m-tea", BODY, NOW, "7", "bm90LWEtc2lnbmF0dXJl"), // garbage
            post("m-tea", BODY, NOW, "7", sign(Secrets.randomToken(32), NOW, "7", "m-tea", BODY)),
            post("m-tea", paid, NOW, "7", good), // body changed
            post("m-tea", BODY, NOW, "8", good), // another notification id
            post("m-tea", BODY, NOW + 1, "7", good), // another timestamp
            post("m-cake", BODY, NOW, "7", good), // replayed to another merchant
            post("m-tea", BODY, NOW - 301, "7", sign(key, NOW - 301, "7", "m-tea", BODY)), // stale
            post("m-tea", BODY, NOW + 301, "7", sign(key, NOW + 301, "7", "m-tea", BODY)),
            // the master key itself is not the merchant's key
            post("m-tea", BODY, NOW, "7", sign(MASTER, NOW, "7", "m-tea", BODY)));

    for (HttpResponse<String> response : forged) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
      assertThat(response.body()).isNotEqualTo("SUCCESS").startsWith("unauthorized");
    }
    assertThat(calls).isEmpty();
    // still the first call of this payment: refusals did not move the stub towards SUCCESS
    assertThat(answer(post("m-tea", BODY, NOW, "7", good))).isEqualTo("503 busy, try later");
  }

  @Test
  void givenAMerchantsOwnKey_itWinsOverTheDerivedOne() throws Exception {
    String own = Secrets.randomToken(32);
    secrets.put(NotificationSignature.keyName("m-tea"), own);

    assertThat(
            post(
                    "m-tea",
                    BODY,
                    NOW,
                    "7",
                    sign(Hmac.derive(MASTER, "m-tea"), NOW, "7", "m-tea", BODY))
                .statusCode())
        .isEqualTo(401);
    assertThat(post("m-tea", BODY, NOW, "7", sign(own, NOW, "7", "m-tea", BODY)).statusCode())
        .isEqualTo(503);
  }

  private static String sign(String key, long timestamp, String id, String merchant, String body) {
    return Hmac.sign(
        key, NotificationSignature.canonical(Long.toString(timestamp), id, merchant, body));
  }

  private static String answer(HttpResponse<String> response) {
    return response.statusCode() + " " + response.body();
  }

  private HttpResponse<String> post(
      String merchant, String body, Long timestamp, String id, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/notify/" + merchant))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != null) {
      request.header(NotificationSignature.TIMESTAMP, Long.toString(timestamp));
    }
    if (id != null) {
      request.header(NotificationSignature.NOTIFICATION_ID, id);
    }
    if (signature != null) {
      request.header(NotificationSignature.SIGNATURE, signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
