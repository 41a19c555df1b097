package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.testkit.architecture.DependencyRules;
import io.txcenter.testkit.architecture.DependencyRules.Kind;
import io.txcenter.testkit.architecture.DependencyRules.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The project's own tree against {@link DependencyRules}, after the reactor built every jar and its
 * {@code lib/} (this module comes last): no service or framework class uses a tool, no tool jar is
 * on a product process's class path, every api depends on nothing.
 */
class DependencyRulesIT {

  private static final Path ROOT = projectRoot();

  @Test
  void theTreeKeepsTheDependencyRules() {
    assertThat(DependencyRules.violations(ROOT)).isEmpty();
  }

  @Test
  void theRulesSawEveryKindOfModuleAndTheRuntimeClassPaths() {
    List<Module> modules = DependencyRules.modules(ROOT);

    // a scan that found nothing would pass the rules vacuously
    for (Kind kind : Kind.values()) {
      assertThat(modules).as(kind.name()).anyMatch(m -> m.kind() == kind);
    }
    assertThat(modules)
        .filteredOn(m -> m.kind() == Kind.TOOL)
        .extracting(Module::artifactId)
        .contains("txc-cli", "txc-audit", "txc-chaos", "txc-bench", "txc-load");
    assertThat(modules)
        .filteredOn(m -> m.kind() == Kind.SERVICE)
        .extracting(Module::artifactId)
        .contains("account-service", "points-service", "mall-service");
    assertThat(modules)
        .filteredOn(m -> m.kind() == Kind.SERVICE && m.artifactId().endsWith("-service"))
        .allMatch(m -> Files.isDirectory(m.dir().resolve("target/lib")), "has target/lib")
        .allMatch(m -> Files.isDirectory(m.dir().resolve("target/classes")), "is compiled");
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no project root (mvnw) above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
