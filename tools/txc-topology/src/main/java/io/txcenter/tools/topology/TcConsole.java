package io.txcenter.tools.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.GlobalStatus;

/**
 * The TC's global sessions through its console's API ({@code /api/v1/console/globalSession/query},
 * after {@code /api/v1/auth/login} with the console credentials of the run directory), whatever the
 * store: the file store can only be read by the TC itself. One call changes the TC: {@link
 * #resolve}, txcenter's own endpoint behind the same login.
 */
public final class TcConsole {

  /** The console's largest page. */
  static final int PAGE = 100;

  /** Pages read at most: {@value} × {@link #PAGE} sessions. */
  static final int MAX_PAGES = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TopologyConfig config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private String token;

  public TcConsole(TopologyConfig config) {
    this.config = config;
  }

  /** A global session as the TC holds it. */
  public record GlobalSession(
      String xid,
      String status,
      String name,
      long beginTime,
      long timeoutMillis,
      List<Branch> branches) {}

  /** A branch of a global session. */
  public record Branch(
      long branchId, String resourceId, String type, String status, String clientId) {}

  /** The number of global sessions the TC holds. */
  public long count() throws IOException, InterruptedException {
    return page(Map.of(), 1, 10).path("total").asLong();
  }

  /**
   * The TC's global sessions with their branches ({@code xid} non-null: that one only, or none), at
   * most {@link #MAX_PAGES} pages.
   */
  public List<GlobalSession> sessions(String xid) throws IOException, InterruptedException {
    List<GlobalSession> sessions = new ArrayList<>();
    Map<String, String> filter =
        xid == null ? Map.of("withBranch", "true") : Map.of("withBranch", "true", "xid", xid);
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode answer = page(filter, page, PAGE);
      JsonNode data = answer.path("data");
      for (JsonNode s : data) {
        if (xid != null && !xid.equals(s.path("xid").asText())) {
          continue; // a console that ignored the filter
        }
        List<Branch> branches = new ArrayList<>();
        for (JsonNode b : s.path("branchSessionVOs")) {
          branches.add(
              new Branch(
                  b.path("branchId").asLong(),
                  b.path("resourceId").asText(),
                  b.path("branchType").asText(),
                  branchStatus(b.path("status")),
                  b.path("clientId").asText()));
        }
        sessions.add(
            new GlobalSession(
                s.path("xid").asText(),
                globalStatus(s.path("status")),
                s.path("transactionName").asText(),
                s.path("beginTime").asLong(),
                s.path("timeout").asLong(),
                List.copyOf(branches)));
      }
      if (data.size() < PAGE) {
        break;
      }
    }
    return sessions;
  }

  /** The TC's answer to a resolve: its body, and whether it took the branches out. */
  public record Resolved(int httpStatus, boolean success, String message, JsonNode data) {}

  /**
   * Asks the TC to take {@code branchIds} out of session {@code xid}, whose phase two it decided in
   * {@code direction} ({@code commit} or {@code rollback}) and keeps retrying, and to end the
   * session when none is left ({@code POST /api/v1/txc/resolve}). The TC re-checks the direction
   * and the branches and refuses with 400 (malformed), 404 (no session) or 409 (not retrying that
   * way, a branch not in it or not TCC, its retry task busy).
   */
  public Resolved resolve(String xid, String direction, List<Long> branchIds, String reason)
      throws IOException, InterruptedException {
    String body =
        JSON.writeValueAsString(
            Map.of("xid", xid, "direction", direction, "branchIds", branchIds, "reason", reason));
    HttpResponse<String> response = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(config.consoleUrl() + "/api/v1/txc/resolve"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", token())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 401 && response.statusCode() != 403) {
        break;
      }
      token = null; // expired: log in again once
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = JSON.createObjectNode();
    }
    return new Resolved(
        response.statusCode(),
        response.statusCode() == 200 && answer.path("success").asBoolean(false),
        answer.path("message").asText("HTTP " + response.statusCode()),
        answer.path("data"));
  }

  private JsonNode page(Map<String, String> filter, int page, int size)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("pageNum=" + page + "&pageSize=" + size);
    filter.forEach(
        (k, v) ->
            query
                .append('&')
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          config.consoleUrl() + "/api/v1/console/globalSession/query?" + query))
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", token())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
      if (answer != null && answer.has("data")) {
        return answer;
      }
      token = null; // expired: log in again once
    }
    throw new IOException("the TC's console refused the session query");
  }

  private String token() throws IOException, InterruptedException {
    if (token == null) {
      String body =
          JSON.writeValueAsString(
              Map.of("username", config.consoleUser(), "password", config.consolePassword()));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(config.consoleUrl() + "/api/v1/auth/login"))
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
      String data = answer == null ? "" : answer.path("data").asText("");
      if (data.isEmpty()) {
        throw new IOException(
            "the TC's console refused the login (HTTP " + response.statusCode() + ")");
      }
      token = data;
    }
    return token;
  }

  private static String globalStatus(JsonNode code) {
    if (!code.isNumber()) {
      return code.asText();
    }
    GlobalStatus status = GlobalStatus.get(code.asInt());
    return status == null ? "code " + code.asInt() : status.name();
  }

  private static String branchStatus(JsonNode code) {
    if (!code.isNumber()) {
      return code.asText();
    }
    BranchStatus status = BranchStatus.get(code.asInt());
    return status == null ? "code " + code.asInt() : status.name();
  }
}
