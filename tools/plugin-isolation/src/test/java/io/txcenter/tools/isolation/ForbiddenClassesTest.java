package io.txcenter.tools.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForbiddenClassesTest {

  @TempDir Path dir;

  private Path jarOf(String... entries) throws Exception {
    Path jar = dir.resolve("x.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      for (String entry : entries) {
        jarOut.putNextEntry(new JarEntry(entry));
        jarOut.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void givenBenchAndChaosClasses_eachIsFound() throws Exception {
    Path jar =
        jarOf(
            "io/txcenter/mall/MallMain.class",
            "io/txcenter/bench/api/OrderBenchService.class",
            "io/txcenter/chaos/ChaosPlugin.class",
            "io/txcenter/mall/BenchOrders.class",
            "io/txcenter/kit/KillWindowHook$Window.class",
            "io/txcenter/points/api/DirectPointsService.class",
            ForbiddenClasses.REGISTRATION);

    assertThat(ForbiddenClasses.in(jar))
        .hasSize(6)
        .noneMatch(found -> found.endsWith("MallMain.class"));
  }

  @Test
  void givenProductAndThirdPartyClasses_nothingIsFound() throws Exception {
    Path jar =
        jarOf(
            "io/txcenter/points/PointsServiceImpl.class",
            "io/txcenter/kit/plugin/ProcessPlugins.class",
            "org/openjdk/jmh/BenchmarkList.class",
            "META-INF/services/org.apache.dubbo.rpc.Filter");

    assertThat(ForbiddenClasses.in(jar)).isEmpty();
  }
}
