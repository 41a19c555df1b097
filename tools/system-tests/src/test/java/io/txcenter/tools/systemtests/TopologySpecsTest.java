package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.topology.ProcessDescriptor;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.Topology.ProcessSpec;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The processes the descriptors render, name by name, setting by setting, against the table the
 * launcher hard-coded before them ({@code src/test/resources/topology-specs/<case>.txt}, written
 * from that table): same jars, ports, schemas, settings and environment, in the same stages.
 */
class TopologySpecsTest {

  static final Path HOME =
      Path.of(System.getProperty("txc.home", "..")).toAbsolutePath().normalize();

  static final Path RUN = Path.of("/r/run");

  /** The topologies compared: {@code up}'s, chaos, bench, HA, an IT's (flaky, external db). */
  static TopologyConfig config(String name) {
    TopologyConfig d = TopologyConfig.defaults(HOME, RUN);
    return switch (name) {
      case "default" -> d;
      case "chaos" -> d.withChaos();
      case "bench" -> d;
      case "ha" -> TopologyConfigs.ha(HOME, RUN);
      case "it" -> TopologyConfigs.it(HOME, RUN);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Topology topology(String name) {
    return name.equals("bench")
        ? Topology.forBench(config(name), p -> true)
        : new Topology(config(name));
  }

  /** One line per process: stage, name, jar, sorted settings and environment. */
  static String render(List<List<ProcessSpec>> stages) {
    StringBuilder out = new StringBuilder();
    for (int s = 0; s < stages.size(); s++) {
      List<ProcessSpec> stage = new java.util.ArrayList<>(stages.get(s));
      stage.sort(java.util.Comparator.comparing(ProcessSpec::name));
      for (ProcessSpec spec : stage) {
        out.append("stage ").append(s).append(' ').append(spec.name()).append(' ');
        out.append(spec.jar()).append('\n');
        new TreeMap<>(spec.settings())
            .forEach((k, v) -> out.append("  -D").append(k).append('=').append(v).append('\n'));
        new TreeMap<>(spec.env())
            .forEach((k, v) -> out.append("  env ").append(k).append('=').append(v).append('\n'));
      }
    }
    return out.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "chaos", "bench", "ha", "it"})
  void theDescriptorsRenderTheProcessesOfTheHardCodedTable(String name) throws IOException {
    Path golden = Path.of("src/test/resources/topology-specs", name + ".txt");

    String rendered = render(topology(name).stages());

    assertThat(rendered).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha"})
  void theSecretsHoldAKeyForEveryRpcIdentityOfTheOldList(String name) {
    assertThat(topology(name).rpcIdentities())
        .containsExactlyInAnyOrder(
            "operator",
            "mall",
            "payment",
            "relay",
            "points",
            "portal",
            "account",
            "subscriber",
            "notifier",
            "fund");
  }

  @Test
  void theNamedPortsSurviveTheTopologyFile(@TempDir Path run) {
    TopologyConfig it = TopologyConfigs.it(HOME, run);

    it.write();

    TopologyConfig read = TopologyConfig.read(run);
    // the IT's named ports, and the descriptors' defaults for the ports it does not name (the
    // metrics ports)
    assertThat(read.ports()).containsAllEntriesOf(it.ports());
    assertThat(read.port("points", 1)).isEqualTo(32011);
    assertThat(read.port("mall.metrics")).isEqualTo(9423);
  }

  @Test
  void aTopologyFileWithoutNamedPorts_getsTheDescriptorsDefaults(@TempDir Path run)
      throws IOException {
    TopologyConfig.defaults(HOME, run).write();
    Path file = run.resolve(TopologyConfig.FILE);
    List<String> older =
        Files.readAllLines(file).stream().filter(l -> !l.startsWith("port.")).toList();
    Files.write(file, older);

    TopologyConfig read = TopologyConfig.read(run);

    assertThat(read.port("account")).isEqualTo(20892);
    assertThat(read.zkPort()).isEqualTo(2181);
    assertThat(read.consolePort()).isEqualTo(7091);
  }

  /** TopologyConfig.schemas() as it was written before the descriptors named the schemas. */
  static List<String> formerSchemas(TopologyConfig c) {
    List<String> schemas = new java.util.ArrayList<>();
    c.channels().forEach(ch -> schemas.add(c.schemaOfChannel(ch)));
    for (String g : List.of("ops", "cs", "orch", "compliance", "datacenter", "accounting")) {
      schemas.add(c.schemaOfSubscriber(g));
    }
    for (String s : List.of("portal", "account", "mall", "monolith", "payment", "notify", "fund")) {
      schemas.add(c.schema(s));
    }
    if (c.ha() || "db".equals(c.tcStore())) {
      schemas.add(c.schema("seata"));
    }
    return schemas;
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "it"})
  void theSchemasAreTheFormerList(String name) {
    TopologyConfig config = config(name);

    assertThat(config.schemas()).containsExactlyInAnyOrderElementsOf(formerSchemas(config));
    assertThat(topology(name).fenceSchemas())
        .containsExactlyInAnyOrder(
            config.schemaOfChannel(config.channels().get(0)),
            config.schemaOfChannel(config.channels().get(1)),
            config.schema("portal"),
            config.schema("account"),
            config.schema("mall"),
            config.schema("payment"),
            config.schema("fund"));
  }

  /**
   * The subscribers and relays the audit, the fan-out view and chaos still name ({@code
   * TopologyConfig.SUBSCRIBERS}, {@code RELAYS}) are the ones the descriptors start.
   */
  @Test
  void theSubscribersAndRelaysNamedByTheToolsAreTheDescribedOnes() {
    Topology topology = topology("default");
    ProcessDescriptor sub =
        topology.descriptors().stream().filter(d -> d.id().equals("sub")).findFirst().orElseThrow();

    assertThat(topology.instances(sub))
        .containsExactlyElementsOf(TopologyConfig.SUBSCRIBERS.keySet());
    TopologyConfig.SUBSCRIBERS.forEach(
        (group, tags) -> assertThat(sub.get("instance." + group + ".tags")).isEqualTo(tags));
    assertThat(topology.processNames())
        .filteredOn(n -> n.startsWith("relay-"))
        .containsExactlyElementsOf(TopologyConfig.RELAYS);
  }
}
