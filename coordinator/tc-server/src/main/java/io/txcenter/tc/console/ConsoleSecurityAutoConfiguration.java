package io.txcenter.tc.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Adds txcenter's guards to the Seata console through Spring Boot's auto-configuration (listed in
 * {@code META-INF/spring.factories}): the console is Seata's Spring Boot application, and this is
 * its supported way in; and txcenter's one console endpoint that changes a session ({@link
 * SessionResolveController}). Settings: {@code txc.console.login.max-failures} (5), {@code
 * txc.console.login.window-s} (60), {@code txc.console.login.lockout-s} (60).
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityAutoConfiguration {

  /** {@code POST /api/v1/txc/resolve}, behind the console's login like the rest of its API. */
  @Bean
  public SessionResolveController txcSessionResolveController() {
    return new SessionResolveController();
  }

  @Bean
  public FilterRegistrationBean<ConsoleLoginThrottleFilter> txcConsoleLoginThrottle() {
    LoginThrottle throttle =
        new LoginThrottle(
            (int) setting("txc.console.login.max-failures", 5),
            setting("txc.console.login.window-s", 60) * 1000,
            setting("txc.console.login.lockout-s", 60) * 1000,
            System::currentTimeMillis);
    FilterRegistrationBean<ConsoleLoginThrottleFilter> registration =
        new FilterRegistrationBean<>(new ConsoleLoginThrottleFilter(throttle));
    registration.addUrlPatterns("/api/v1/auth/login");
    // ahead of Spring Security's chain, so a locked-out address never reaches the login controller
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setName("txcConsoleLoginThrottle");
    return registration;
  }

  private static long setting(String key, long defaultValue) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < 1) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting '" + key + "' must be a whole number >= 1, was [" + value + "]");
    }
  }
}
