package io.txcenter.testkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.testkit.architecture.DependencyRules.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule of {@link DependencyRules} on a small built tree: sound as laid out, then broken one
 * way at a time (a service importing a tool, a tool jar in a service's {@code lib/}, an api with a
 * dependency in its pom or in its classes).
 */
class DependencyRulesTest {

  @TempDir Path root;

  @Test
  void kindFollowsThePlaceInTheTree() {
    assertThat(DependencyRules.kindOf("tools/txc-audit", "txc-audit")).isEqualTo(Kind.TOOL);
    assertThat(DependencyRules.kindOf("tools/bench-plugins/mall-bench", "mall-bench"))
        .isEqualTo(Kind.TOOL);
    assertThat(DependencyRules.kindOf("participant-account/account-api", "account-api"))
        .isEqualTo(Kind.API);
    assertThat(DependencyRules.kindOf("coordinator/outbox-api", "outbox-api")).isEqualTo(Kind.API);
    assertThat(DependencyRules.kindOf("coordinator/txc-kit", "txc-kit")).isEqualTo(Kind.FRAMEWORK);
    assertThat(DependencyRules.kindOf("participant-account/account-service", "account-service"))
        .isEqualTo(Kind.SERVICE);
    assertThat(DependencyRules.kindOf("mall-order/payment-service", "payment-service"))
        .isEqualTo(Kind.SERVICE);
    assertThat(DependencyRules.kindOf("zk", "txc-zk")).isEqualTo(Kind.INFRA);
  }

  @Test
  void aSoundTreeHasNoViolation() throws IOException {
    build(false, false, false, false);

    assertThat(DependencyRules.modules(root))
        .extracting(DependencyRules.Module::path)
        .containsExactly("demo-api", "participant-demo/demo-service", "tools/demo-tool");
    assertThat(DependencyRules.violations(root)).isEmpty();
  }

  @Test
  void aServiceImportingAToolIsRefused() throws IOException {
    build(true, false, false, false);

    assertThat(DependencyRules.violations(root))
        .singleElement()
        .asString()
        .startsWith("service imports a tool: participant-demo/demo-service demo.service.Service")
        .contains("tools/demo-tool demo.tool.Tool");
  }

  @Test
  void aToolOnAServicesRuntimeClassPathIsRefused() throws IOException {
    build(false, true, false, false);

    assertThat(DependencyRules.violations(root))
        .containsExactly(
            "tool on a runtime class path: participant-demo/demo-service runs with"
                + " demo-tool-1.0.0-SNAPSHOT.jar (target/lib)");
  }

  @Test
  void anApiWithADependencyIsRefused() throws IOException {
    build(false, false, true, false);

    assertThat(DependencyRules.violations(root))
        .containsExactly("api depends on something: demo-api/pom.xml declares slf4j-api");
  }

  @Test
  void anApiUsingAnotherModulesClassIsRefused() throws IOException {
    build(false, false, false, true);

    assertThat(DependencyRules.violations(root))
        .singleElement()
        .asString()
        .startsWith("api depends on something: demo-api demo.api.Request uses");
  }

  /** A three-module tree, compiled, with the requested breakages planted. */
  private void build(
      boolean serviceImportsTool, boolean toolInLib, boolean apiPomDependency, boolean apiUsesTool)
      throws IOException {
    Files.writeString(root.resolve("pom.xml"), pom("demo-parent", "pom", ""));
    Path api = module("demo-api", "demo-api", apiPomDependency ? dependency("slf4j-api", "") : "");
    Path service =
        module(
            "participant-demo/demo-service",
            "demo-service",
            dependency("demo-api", "") + dependency("junit-jupiter", "<scope>test</scope>"));
    Path tool = module("tools/demo-tool", "demo-tool", dependency("demo-api", ""));
    compile(
        tool,
        "demo/tool/Tool.java",
        "package demo.tool; public class Tool { public static int seven() { return 7; } }");
    compile(
        api,
        "demo/api/Request.java",
        "package demo.api; public record Request(String key, long amount) {"
            + (apiUsesTool ? " int x() { return demo.tool.Tool.seven(); }" : "")
            + " }",
        tool);
    compile(
        service,
        "demo/service/Service.java",
        "package demo.service; public class Service { int run(demo.api.Request r) { return "
            + (serviceImportsTool ? "demo.tool.Tool.seven()" : "1")
            + "; } }",
        api,
        tool);
    Path lib = Files.createDirectories(service.resolve("target/lib"));
    Files.writeString(lib.resolve("demo-api-1.0.0-SNAPSHOT.jar"), "");
    if (toolInLib) {
      Files.writeString(lib.resolve("demo-tool-1.0.0-SNAPSHOT.jar"), "");
    }
  }

  private Path module(String path, String artifactId, String dependencies) throws IOException {
    Path dir = Files.createDirectories(root.resolve(path));
    Files.writeString(dir.resolve("pom.xml"), pom(artifactId, "jar", dependencies));
    return dir;
  }

  private static String pom(String artifactId, String packaging, String dependencies) {
    return "<project><parent><artifactId>demo-parent</artifactId></parent>"
        + "<artifactId>"
        + artifactId
        + "</artifactId><packaging>"
        + packaging
        + "</packaging><dependencies>"
        + dependencies
        + "</dependencies><build><plugins><plugin><dependencies><dependency>"
        + "<artifactId>in-build-not-counted</artifactId></dependency></dependencies>"
        + "</plugin></plugins></build></project>";
  }

  private static String dependency(String artifactId, String extra) {
    return "<dependency><groupId>g</groupId><artifactId>"
        + artifactId
        + "</artifactId>"
        + extra
        + "</dependency>";
  }

  private static void compile(Path module, String file, String source, Path... classPath)
      throws IOException {
    Path src = module.resolve("src/main/java").resolve(file);
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(module.resolve("target/classes"));
    StringBuilder cp = new StringBuilder(classes.toString());
    for (Path other : classPath) {
      cp.append(java.io.File.pathSeparator).append(other.resolve("target/classes"));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            List.of("-d", classes.toString(), "-cp", cp.toString(), src.toString())
                .toArray(String[]::new));
    assertThat(status).as("javac " + file).isZero();
  }
}
