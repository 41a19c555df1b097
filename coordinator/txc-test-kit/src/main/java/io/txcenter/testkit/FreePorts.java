package io.txcenter.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1. */
public final class FreePorts {

  private static final int LOW = 10_000;
  private static final java.util.Random RANDOM = new java.util.Random();
  private static final java.util.Set<Integer> GIVEN = new java.util.HashSet<>();

  private FreePorts() {}

  /** The low end of the kernel's ephemeral port range; Linux's default where it cannot be read. */
  private static int ephemeralLow() {
    try {
      // readAllLines, not readString: procfs reports a size of 0 and readString came back cut
      List<String> lines =
          java.nio.file.Files.readAllLines(
              java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      int low = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
      return low > LOW + 1_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /**
   * A port that was free when probed, below the kernel's ephemeral range. A port handed out by the
   * kernel for {@code bind(0)} lies inside that range, and the many outgoing connections of a
   * topology being started can take it before the process meant to listen there binds it (seen:
   * "Address already in use" for a subscriber's port in HaTopologyIT).
   */
  public static int next() {
    return consecutive(1);
  }

  /** The first of {@code n} consecutive ports that were all free when probed. */
  public static synchronized int consecutive(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = LOW + RANDOM.nextInt(Math.max(1, ephemeralLow() - LOW - n));
      boolean overlaps = false;
      for (int i = 0; i < n; i++) {
        overlaps |= GIVEN.contains(base + i);
      }
      if (overlaps) {
        continue; // handed out before in this JVM: its process may not have bound it yet
      }
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          held.add(new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress()));
        }
        for (int i = 0; i < n; i++) {
          GIVEN.add(base + i);
        }
        return base;
      } catch (IOException e) {
        // taken: try another base
      } finally {
        for (ServerSocket socket : held) {
          try {
            socket.close();
          } catch (IOException ignored) {
            // closing a probe socket
          }
        }
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports");
  }
}
