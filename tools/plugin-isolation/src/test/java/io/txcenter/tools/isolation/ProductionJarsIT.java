package io.txcenter.tools.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After {@code package}: every production runnable jar (a module with {@code
 * src/main/resources/txc-runnable}, outside {@code cli/} and {@code tools/}) and every jar of its
 * {@code lib/}, api jars included, holds no bench or chaos class ({@link ForbiddenClasses}). The
 * bench and chaos runs add their plugin jars on the command line; {@code up} starts exactly these.
 */
class ProductionJarsIT {

  private static final Path HOME = Path.of(System.getProperty("txc.home", "../..")).normalize();

  private static List<Path> runnableModules() throws IOException {
    try (Stream<Path> files = Files.walk(HOME)) {
      return files
          .filter(p -> p.endsWith(Path.of("src", "main", "resources", "txc-runnable")))
          .map(p -> p.getParent().getParent().getParent().getParent())
          .filter(
              m -> !HOME.relativize(m).startsWith("cli") && !HOME.relativize(m).startsWith("tools"))
          .filter(m -> !HOME.relativize(m).toString().contains("target"))
          .sorted()
          .toList();
    }
  }

  private static List<Path> jarsIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
  }

  @Test
  void noProductionJarHoldsABenchOrChaosClass() throws IOException {
    List<Path> modules = runnableModules();
    // zk, embedded-db, tc-server, relay, points, portal, account, subscriber, mall, payment,
    // notify,
    // merchant: a walk that finds fewer looked in the wrong place
    assertThat(modules).as("runnable modules under " + HOME).hasSizeGreaterThanOrEqualTo(12);

    List<Path> jars = new ArrayList<>();
    for (Path module : modules) {
      List<Path> own = jarsIn(module.resolve("target"));
      assertThat(own).as("packaged jar of " + module + " (run package first)").isNotEmpty();
      jars.addAll(own);
      List<Path> lib = jarsIn(module.resolve("target").resolve("lib"));
      assertThat(lib).as("lib/ of " + module).isNotEmpty();
      jars.addAll(lib);
    }
    List<String> found = new ArrayList<>();
    for (Path jar : jars) {
      found.addAll(ForbiddenClasses.in(jar));
    }

    assertThat(found).as("bench or chaos classes in %d production jars", jars.size()).isEmpty();
    assertThat(jars)
        .as("a plugin jar in a production lib/")
        .noneMatch(
            j ->
                j.getFileName()
                    .toString()
                    .matches("(bench-api|\\w+-bench|chaos-hook)(-.*)?\\.jar"));
  }
}
