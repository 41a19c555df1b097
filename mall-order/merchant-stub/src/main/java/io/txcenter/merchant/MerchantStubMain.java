package io.txcenter.merchant;

import com.sun.net.httpserver.HttpServer;
import io.txcenter.metrics.MetricsEndpoint;
import io.txcenter.payment.api.NotificationSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A merchant's callback endpoint on 127.0.0.1: {@code POST /notify/<merchant>} answers 503 to the
 * first {@code txc.merchant.fail-first} (2) calls of each payment, then 200 {@code SUCCESS}, the
 * acknowledgement payment platforms expect. Settings: {@code txc.merchant.port} (20910), {@code
 * txc.bind.host} (127.0.0.1), {@code txc.run.dir}, {@code txc.name} (merchant).
 */
public final class MerchantStubMain {

  private static final Logger log = LoggerFactory.getLogger(MerchantStubMain.class);

  private MerchantStubMain() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getProperty("txc.merchant.port", "20910"));
    int failFirst = Integer.parseInt(System.getProperty("txc.merchant.fail-first", "2"));
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindHost()), port), 64);
    server.createContext(
        "/notify/",
        MerchantEndpoint.fromSecrets(
            failFirst,
            calls,
            Long.parseLong(
                System.getProperty(
                    "txc.merchant.max-skew.s",
                    String.valueOf(NotificationSignature.DEFAULT_MAX_SKEW_SECONDS)))));
    server.start();
    MetricsEndpoint.startFromSettings(InetAddress.getByName(bindHost()));
    Path runDir = Path.of(System.getProperty("txc.run.dir", "run")).toAbsolutePath();
    Path marker = runDir.resolve(System.getProperty("txc.name", "merchant") + ".ready");
    Files.writeString(marker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    marker.toFile().deleteOnExit();
    log.info("merchant stub ready url=http://127.0.0.1:{}/notify/ fail_first={}", port, failFirst);
  }

  /**
   * {@code txc.bind.host} (env {@code TXC_BIND_HOST}): the literal IP address the stub listens on,
   * 127.0.0.1 unless set. A host name or a malformed value is refused.
   */
  static String bindHost() {
    String host = System.getProperty("txc.bind.host", System.getenv("TXC_BIND_HOST"));
    if (host == null || host.isBlank()) {
      return "127.0.0.1";
    }
    host = host.trim();
    if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        && !host.matches("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      throw new IllegalArgumentException(
          "setting 'txc.bind.host' must be a literal IP address, was [" + host + "]");
    }
    return host;
  }
}
