package io.txcenter.tools.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code promtool} on the shipped alert rules ({@code ops/prometheus}), so {@code ./mvnw
 * verify} fails when a rule no longer passes its unit tests; skipped when promtool is not
 * installed.
 */
class AlertRulesPromtoolTest {

  private static final String RULES = "alerts.yml";
  private static final String RULE_TESTS = "alerts.test.yml";
  private static final Pattern IN_DOUBT_THRESHOLD =
      Pattern.compile("(?<expr>txc_tc_oldest_session_seconds > )30\\b");
  private static final Pattern RUNBOOK =
      Pattern.compile("runbook:\\s*\"?docs/operations\\.md#([a-z0-9-]+)\"?");

  @TempDir Path temp;

  @Test
  void givenTheShippedRules_promtoolCheckRules_passes() throws Exception {
    Path promtool = promtoolOrSkip();

    Result result = run(promtool, rulesDir(), "check", "rules", RULES);

    assertThat(result.exitCode()).as("promtool check rules:%n%s", result.output()).isZero();
  }

  @Test
  void givenTheShippedRules_promtoolTestRules_passes() throws Exception {
    Path promtool = promtoolOrSkip();

    Result result = run(promtool, rulesDir(), "test", "rules", RULE_TESTS);

    assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
  }

  /** Proves the rule tests can fail: a raised threshold must break the in-doubt alert's case. */
  @Test
  void givenTheInDoubtThresholdRaised_promtoolTestRules_failsAgainstTheUnchangedTests()
      throws Exception {
    Path promtool = promtoolOrSkip();
    String rules = Files.readString(rulesDir().resolve(RULES), UTF_8);
    String broken = IN_DOUBT_THRESHOLD.matcher(rules).replaceFirst("${expr}3000");
    assertThat(broken).as("the rules with the in-doubt threshold raised").isNotEqualTo(rules);
    Files.writeString(temp.resolve(RULES), broken, UTF_8);
    Files.copy(rulesDir().resolve(RULE_TESTS), temp.resolve(RULE_TESTS));

    Result result = run(promtool, temp, "test", "rules", RULE_TESTS);

    assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isNotZero();
    assertThat(result.output()).contains("FAILED").contains("TxcGlobalTransactionInDoubt");
  }

  /** Needs no promtool: every runbook annotation must land on a heading of the operations page. */
  @Test
  void givenTheShippedRules_everyRunbookAnchor_isAHeadingOfTheOperationsPage() throws Exception {
    String rules = Files.readString(rulesDir().resolve(RULES), UTF_8);
    List<String> anchors = new ArrayList<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(projectRoot().resolve("docs/operations.md"), UTF_8)) {
      if (line.startsWith("```")) {
        inFence = !inFence;
      } else if (!inFence && line.startsWith("#")) {
        anchors.add(githubAnchor(line));
      }
    }

    List<String> runbooks = new ArrayList<>();
    Matcher m = RUNBOOK.matcher(rules);
    while (m.find()) {
      runbooks.add(m.group(1));
    }

    assertThat(runbooks)
        .as("runbook annotations")
        .hasSize(count(rules, "- alert: "))
        .allSatisfy(anchor -> assertThat(anchors).as("headings").contains(anchor));
  }

  /** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, '-' for ' '. */
  private static String githubAnchor(String heading) {
    return heading
        .replaceFirst("^#+\\s*", "")
        .trim()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9 _-]", "")
        .replace(' ', '-');
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static Path promtoolOrSkip() {
    Optional<Path> promtool = onPath("promtool");
    Assumptions.assumeTrue(
        promtool.isPresent(),
        "promtool not found on PATH: apt-get install --no-install-recommends prometheus"
            + " (Debian; .ci/run does it), or put Prometheus's promtool on PATH");
    return promtool.orElseThrow();
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Path rulesDir() {
    return projectRoot().resolve("ops/prometheus");
  }

  /**
   * The project root: the nearest folder, from the working directory (surefire's is the module's)
   * up, that holds {@code ops/prometheus}.
   */
  private static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("ops/prometheus").resolve(RULES))) {
        return dir;
      }
    }
    return fail("no ops/prometheus/%s above [%s]", RULES, Path.of("").toAbsolutePath());
  }

  /** Runs promtool in {@code dir} (its rule_files are relative to the test file), 2 min at most. */
  private Result run(Path promtool, Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(temp, "promtool", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("%s did not end within 2 min:%n%s", command, Files.readString(log, UTF_8));
    }
    return new Result(process.exitValue(), Files.readString(log, UTF_8));
  }

  private record Result(int exitCode, String output) {}
}
