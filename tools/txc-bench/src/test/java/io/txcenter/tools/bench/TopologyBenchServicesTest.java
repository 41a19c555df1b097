package io.txcenter.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which plugin jars each launch puts on a process's class path: none for {@code up} (and so for
 * {@code demo}), the bench plugins for the mall, the portal and the points processes under the
 * bench, the chaos hook for every TCC process under chaos.
 */
class TopologyBenchServicesTest {

  private static final TopologyConfig CONFIG =
      TopologyConfig.defaults(
          Path.of(System.getProperty("txc.home", "../..")).toAbsolutePath().normalize(),
          Path.of("/p/run"));

  private static final List<String> TCC_PROCESSES =
      List.of(
          "mall",
          "payment",
          "fund",
          "portal",
          "account",
          "points-" + CONFIG.channels().get(0),
          "points-" + CONFIG.channels().get(1));

  private static Topology.ProcessSpec spec(Topology topology, String process) {
    return topology.stages().stream()
        .flatMap(List::stream)
        .filter(spec -> spec.name().equals(process))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> settingsOf(Topology topology, String process) {
    return spec(topology, process).settings();
  }

  @Test
  void givenUp_noProcessGetsAPluginOrTheMonolithSchema() {
    Topology up = new Topology(CONFIG);

    for (String process : up.processNames()) {
      assertThat(up.pluginJars(spec(up, process))).as(process).isEmpty();
      assertThat(settingsOf(up, process))
          .as(process)
          .doesNotContainKey("txc.mall.monolith.jdbc.url")
          .doesNotContainKey("txc.chaos.dir");
    }
    assertThat(up.processNames()).containsAll(TCC_PROCESSES);
  }

  @Test
  void givenTheBench_theMallPortalAndPointsGetTheirBenchPlugin_andNoOtherProcessAny() {
    Topology bench = Topology.forBench(CONFIG, BenchCommand::involved);

    assertThat(bench.pluginJars(spec(bench, "mall")))
        .containsExactly(
            Topology.BENCH_API, "tools/bench-plugins/mall-bench/target/mall-bench.jar");
    assertThat(bench.pluginJars(spec(bench, "portal")))
        .containsExactly(
            Topology.BENCH_API, "tools/bench-plugins/portal-bench/target/portal-bench.jar");
    for (String channel : CONFIG.channels()) {
      assertThat(bench.pluginJars(spec(bench, "points-" + channel)))
          .as(channel)
          .containsExactly(
              Topology.BENCH_API, "tools/bench-plugins/points-bench/target/points-bench.jar");
    }
    for (String process : bench.processNames()) {
      if (!process.equals("mall") && !process.equals("portal") && !process.startsWith("points-")) {
        assertThat(bench.pluginJars(spec(bench, process))).as(process).isEmpty();
      }
    }
    assertThat(settingsOf(bench, "mall")).containsKey("txc.mall.monolith.jdbc.url");
  }

  @Test
  void givenChaos_everyTccProcessGetsTheChaosHook_andNoOtherProcessAny() {
    Topology chaos = new Topology(CONFIG.withChaos());

    for (String process : chaos.processNames()) {
      List<String> jars = chaos.pluginJars(spec(chaos, process));
      if (TCC_PROCESSES.contains(process)) {
        assertThat(jars).as(process).containsExactly(Topology.CHAOS_HOOK);
      } else {
        assertThat(jars).as(process).isEmpty();
      }
    }
  }

  @Test
  void givenAPlugin_theProcessIsLaunchedOnAClassPathWithTheMainClassOfItsJar(@TempDir Path home)
      throws Exception {
    // a home with the portal's module and the registry it names, described by copies of their
    // real descriptors
    Path descriptor = Path.of("src/main/resources/META-INF/txc/process.properties");
    for (String path : List.of("participant-portal/portal-service", "zk")) {
      Path real = CONFIG.home().resolve(path);
      Path module = Files.createDirectories(home.resolve(path));
      Files.copy(real.resolve("pom.xml"), module.resolve("pom.xml"));
      Files.createDirectories(module.resolve(descriptor).getParent());
      Files.copy(real.resolve(descriptor), module.resolve(descriptor));
    }
    TopologyConfig config = TopologyConfig.defaults(home, home.resolve("run"));
    Topology bench = Topology.forBench(config, name -> name.equals("portal"));
    Topology.ProcessSpec portal = spec(bench, "portal");
    Path jar = home.resolve(portal.jar());
    Files.createDirectories(jar.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "x.PortalMain");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    for (String plugin : bench.pluginJars(portal)) {
      Files.createDirectories(home.resolve(plugin).getParent());
      Files.writeString(home.resolve(plugin), "");
    }

    assertThat(bench.launch(portal))
        .containsExactly(
            "-cp",
            jar
                + File.pathSeparator
                + home.resolve(Topology.BENCH_API)
                + File.pathSeparator
                + home.resolve("tools/bench-plugins/portal-bench/target/portal-bench.jar"),
            "x.PortalMain");
    assertThat(new Topology(config).launch(portal)).containsExactly("-jar", jar.toString());
  }
}
