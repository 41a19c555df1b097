package io.txcenter.tools.topology;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many global sessions the TC still holds: from its {@code global_table} when the store is the
 * database ({@code --tc-store db}, {@code --ha}), else from the console's session API (file store),
 * since the file store can only be read by the TC itself.
 */
public final class TcSessions {

  private static final Pattern TOKEN = Pattern.compile("\"data\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

  private final TopologyConfig config;
  private final JdbcTemplate jdbc;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private String token;

  public TcSessions(TopologyConfig config, JdbcTemplate jdbc) {
    this.config = config;
    this.jdbc = jdbc;
  }

  boolean storeIsDatabase() {
    return config.ha() || "db".equals(config.tcStore());
  }

  /** Global sessions held by the TC; a TC that cannot be asked counts as holding none. */
  public long count() {
    if (storeIsDatabase()) {
      return Objects.requireNonNull(
          jdbc.queryForObject(
              "SELECT COUNT(*) FROM " + config.schema("seata") + ".global_table", Long.class));
    }
    try {
      return consoleCount();
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private long consoleCount() throws IOException, InterruptedException {
    if (token == null) {
      HttpRequest login =
          HttpRequest.newBuilder(URI.create(config.consoleUrl() + "/api/v1/auth/login"))
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"username\":\""
                          + config.consoleUser()
                          + "\",\"password\":\""
                          + config.consolePassword()
                          + "\"}"))
              .build();
      Matcher m = TOKEN.matcher(http.send(login, HttpResponse.BodyHandlers.ofString()).body());
      if (!m.find()) {
        throw new IOException("console login refused");
      }
      token = m.group(1);
    }
    HttpRequest query =
        HttpRequest.newBuilder(
                URI.create(
                    config.consoleUrl()
                        + "/api/v1/console/globalSession/query?pageNum=1&pageSize=10"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", token)
            .GET()
            .build();
    Matcher m = TOTAL.matcher(http.send(query, HttpResponse.BodyHandlers.ofString()).body());
    if (!m.find()) {
      token = null;
      throw new IOException("console session query refused");
    }
    return Long.parseLong(m.group(1));
  }
}
