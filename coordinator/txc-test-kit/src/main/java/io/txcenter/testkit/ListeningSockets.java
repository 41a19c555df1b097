package io.txcenter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The listening TCP sockets a process and its descendants really hold, read from the kernel
 * (Linux): socket inodes from {@code /proc/<pid>/fd}, matched against the LISTEN rows (state {@code
 * 0A}) of {@code /proc/<pid>/net/tcp} and {@code tcp6}. Looks at the sockets, not at what a process
 * registered or logged.
 */
public final class ListeningSockets {

  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** One listening socket: the process holding it, its local address and port. */
  public record Listener(long pid, InetAddress address, int port, long inode) {

    /** Reachable only from this host: 127.0.0.0/8 or ::1 (IPv4-mapped included). */
    public boolean loopback() {
      return address.isLoopbackAddress();
    }

    @Override
    public String toString() {
      return "pid " + pid + " " + address.getHostAddress() + ":" + port;
    }
  }

  /** A LISTEN row of a {@code /proc/net/tcp*} table: local address, port and socket inode. */
  record Row(InetAddress address, int port, long inode) {}

  /** Every listening TCP socket held by {@code pid} or any of its descendants. */
  public static List<Listener> of(long pid) {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    List<Listener> listeners = new ArrayList<>();
    for (long each : pids) {
      Set<Long> inodes = socketInodes(each);
      if (inodes.isEmpty()) {
        continue;
      }
      Map<Long, Row> rows = new HashMap<>();
      for (String table : List.of("tcp", "tcp6")) {
        for (Row row :
            listenRows(readLines(Path.of("/proc", String.valueOf(each), "net", table)))) {
          rows.put(row.inode(), row);
        }
      }
      for (long inode : inodes) {
        Row row = rows.get(inode);
        if (row != null) {
          listeners.add(new Listener(each, row.address(), row.port(), inode));
        }
      }
    }
    return listeners;
  }

  /** The socket inodes among {@code pid}'s open file descriptors (none if it has gone). */
  static Set<Long> socketInodes(long pid) {
    Set<Long> inodes = new LinkedHashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          Matcher socket = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
          if (socket.matches()) {
            inodes.add(Long.parseLong(socket.group(1)));
          }
        } catch (NoSuchFileException closed) {
          // closed between listing and reading: not a listener
        }
      }
    } catch (NoSuchFileException gone) {
      return Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the descriptors of pid " + pid, e);
    }
    return inodes;
  }

  /**
   * The LISTEN rows of a {@code /proc/net/tcp} or {@code tcp6} table (header line included or not).
   * Addresses are hex in the kernel's byte order: each 32-bit word little-endian.
   */
  static List<Row> listenRows(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[0].endsWith(":") || !f[3].equals(LISTEN)) {
        continue;
      }
      int colon = f[1].indexOf(':');
      rows.add(
          new Row(
              address(f[1].substring(0, colon)),
              Integer.parseInt(f[1].substring(colon + 1), 16),
              Long.parseLong(f[9])));
    }
    return rows;
  }

  /** {@code 0100007F} is 127.0.0.1; a 32-digit value is IPv6, word by word. */
  static InetAddress address(String hex) {
    if (hex.length() != 8 && hex.length() != 32) {
      throw new IllegalArgumentException("not a /proc/net/tcp address: [" + hex + "]");
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + i) * 2;
        bytes[word * 4 + 3 - i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      // an IPv4-mapped IPv6 address comes back as the Inet4Address it maps
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a /proc/net/tcp address: [" + hex + "]", e);
    }
  }

  private static List<String> readLines(Path table) {
    try (Stream<String> lines = Files.lines(table)) {
      return lines.toList();
    } catch (NoSuchFileException gone) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + table, e);
    }
  }
}
