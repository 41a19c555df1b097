package io.txcenter.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The marker a launcher waits for: {@code <run dir>/<name>.ready}, holding the pid. */
public final class Readiness {

  private Readiness() {}

  public static Path marker(Path runDir, String name) {
    return runDir.resolve(name + ".ready");
  }

  public static void markReady(String name) {
    Path marker = marker(Settings.runDir(), name);
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    marker.toFile().deleteOnExit();
  }
}
