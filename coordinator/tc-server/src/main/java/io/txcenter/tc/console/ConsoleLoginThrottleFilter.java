package io.txcenter.tc.console;

import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttles the console's login ({@code POST /api/v1/auth/login}) by client address. Seata's
 * console answers every login, right or wrong, at once and for ever; this filter sits in front of
 * it. Seata's login controller answers a failure with HTTP 200 and a failure body, and a success by
 * adding an {@code Authorization} header: that header is how a success is told from a failure here.
 */
public final class ConsoleLoginThrottleFilter implements Filter {

  private static final Logger log = LoggerFactory.getLogger(ConsoleLoginThrottleFilter.class);

  private final LoginThrottle throttle;

  public ConsoleLoginThrottleFilter(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (!"POST".equalsIgnoreCase(request.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    String address = request.getRemoteAddr();
    long locked = throttle.lockedFor(address);
    if (locked > 0) {
      refuse(response, locked);
      return;
    }
    chain.doFilter(req, res);
    if (response.getHeader("Authorization") != null) {
      throttle.succeeded(address);
    } else if (throttle.failed(address)) {
      log.warn(
          "console login locked out address={} for_ms={}", address, throttle.lockedFor(address));
    }
  }

  private static void refuse(HttpServletResponse response, long lockedMillis) throws IOException {
    response.setStatus(429);
    response.setHeader("Retry-After", String.valueOf((lockedMillis + 999) / 1000));
    response.setContentType("application/json");
    response
        .getWriter()
        .write(
            "{\"success\":false,\"code\":\"429\",\"message\":\"too many failed logins from this"
                + " address: try again later\"}");
  }
}
