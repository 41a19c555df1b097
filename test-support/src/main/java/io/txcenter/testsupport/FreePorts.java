package io.txcenter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1. */
public final class FreePorts {

  private FreePorts() {}

  public static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first of {@code n} consecutive ports that were all free when probed. */
  public static int consecutive(int n) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = next();
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          held.add(new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress()));
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
