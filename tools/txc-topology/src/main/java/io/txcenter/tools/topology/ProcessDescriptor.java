package io.txcenter.tools.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How a runnable module wants to be started: read from {@code META-INF/txc/process*.properties} in
 * its jar (or, before it is built, in its sources), so that a new service adds its process to
 * {@code bin/txc up}, {@code status}, {@code down}, chaos and bench without a line of tool code.
 *
 * <p>Keys: {@code id} (the process name, or the prefix of {@code <id>-<instance>} names), {@code
 * stage} (one of {@link #STAGES}, the start order), {@code instances} (a comma list or template;
 * empty: one process named {@code id}), {@code instance.<instance>.<key>} (a per-instance value,
 * {@code ${instance.<key>}}), {@code serial} (each instance its own stage), {@code enabled}, {@code
 * port} (the default port; instance {@code i} gets {@code port + i}), {@code port.setting} ({@code
 * txc.dubbo.port} unless set), {@code extra-port.<name>} (a second port, {@code ${port.<name>}}),
 * {@code schema} (the unprefixed schema; declaring one adds {@code txc.jdbc.url}, {@code
 * txc.jdbc.user} and {@code TXC_JDBC_PASSWORD}), {@code rpc.identity} (default {@code id}), {@code
 * setting.<key>}, {@code env.<NAME>}, {@code bench.setting.<key>}, {@code chaos.setting.<key>}; the
 * chaos run's own keys ({@code chaos.windows}, {@code chaos.consumer}, {@code chaos.outboxes},
 * {@code chaos.kind}, {@code chaos.victim}) are read by {@code tools/txc-chaos} ({@code Victim}).
 * Values are templates over named topology values ({@link Topology#value}); a setting whose value
 * resolves to the empty string is left out.
 *
 * @param jar the runnable jar, relative to the project home
 */
public record ProcessDescriptor(String jar, Map<String, String> keys) {

  /** Start order of the stages; {@code down} stops in reverse. */
  public static final List<String> STAGES =
      List.of("database", "registry", "coordinator", "participant", "initiator", "relay");

  public static final String DIRECTORY = "META-INF/txc/";

  private static final Pattern FILE = Pattern.compile("process[a-z0-9-]*\\.properties");

  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{([^}]+)}");

  private static final int MODULE_DEPTH = 3;

  public ProcessDescriptor {
    String id = keys.get("id");
    if (id == null || !id.matches("[a-z][a-z0-9-]*")) {
      throw new CliException(jar + ": descriptor without a valid id [" + id + "]");
    }
    if (!STAGES.contains(keys.get("stage"))) {
      throw new CliException(jar + ": process " + id + " has no stage among " + STAGES);
    }
  }

  public String id() {
    return keys.get("id");
  }

  public int stageIndex() {
    return STAGES.indexOf(keys.get("stage"));
  }

  public String get(String key) {
    return keys.get(key);
  }

  public String get(String key, String otherwise) {
    return keys.getOrDefault(key, otherwise);
  }

  /** The keys under {@code prefix}, prefix removed, in file order. */
  public Map<String, String> under(String prefix) {
    Map<String, String> found = new LinkedHashMap<>();
    keys.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            found.put(k.substring(prefix.length()), v);
          }
        });
    return found;
  }

  /** Replaces every {@code ${name}} of {@code template} with {@code values.apply(name)}. */
  public static String render(String template, java.util.function.Function<String, String> values) {
    Matcher m = TEMPLATE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.apply(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Every process descriptor of the project at {@code home}, by stage then id: each Maven module
   * (up to {@value #MODULE_DEPTH} folders deep) whose built jar, {@code target/<artifactId>.jar},
   * carries descriptors; a module not built yet contributes the descriptors of its sources, with
   * the jar it will have ({@code up} then names the missing jar).
   */
  public static List<ProcessDescriptor> discover(Path home) {
    List<ProcessDescriptor> found = new ArrayList<>();
    for (Path module : modules(home)) {
      String artifact = artifactId(module.resolve("pom.xml"));
      if (artifact == null) {
        continue;
      }
      Path jar = module.resolve("target").resolve(artifact + ".jar");
      String relative = home.relativize(jar).toString();
      Map<String, String> texts =
          Files.isRegularFile(jar)
              ? fromJar(jar)
              : fromSources(module.resolve("src/main/resources"));
      texts.forEach((file, text) -> found.add(new ProcessDescriptor(relative, parse(file, text))));
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (ProcessDescriptor d : found) {
      String other = seen.put(d.id(), d.jar());
      if (other != null) {
        throw new CliException(
            "process [" + d.id() + "] is described twice: " + other + " and " + d.jar());
      }
    }
    found.sort(
        Comparator.comparingInt(ProcessDescriptor::stageIndex)
            .thenComparing(ProcessDescriptor::id));
    return List.copyOf(found);
  }

  private static List<Path> modules(Path home) {
    List<Path> modules = new ArrayList<>();
    try {
      Files.walkFileTree(
          home,
          java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
          MODULE_DEPTH,
          new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(
                Path dir, java.nio.file.attribute.BasicFileAttributes attributes) {
              if (!dir.equals(home) && skipped(home.relativize(dir))) {
                return java.nio.file.FileVisitResult.SKIP_SUBTREE;
              }
              if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                modules.add(dir);
              }
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
              // a folder this user cannot read (another user's run directory) holds no module
              return java.nio.file.FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the modules under " + home, e);
    }
    modules.sort(Comparator.naturalOrder());
    return modules;
  }

  /** Build output, sources, run directories and hidden folders hold no module. */
  private static boolean skipped(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith(".")
          || List.of("target", "src", "run", "lib", "node_modules", "docs").contains(name)) {
        return true;
      }
    }
    return false;
  }

  /** The module's own artifactId: the first one outside its {@code <parent>} element. */
  public static String artifactId(Path pom) {
    try {
      String text =
          Files.readString(pom, StandardCharsets.UTF_8)
              .replaceAll("(?s)<!--.*?-->", "")
              .replaceAll("(?s)<parent>.*?</parent>", "");
      Matcher m = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>").matcher(text);
      return m.find() ? m.group(1) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pom, e);
    }
  }

  private static Map<String, String> fromJar(Path jar) {
    Map<String, String> texts = new LinkedHashMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry :
          file.stream().sorted(Comparator.comparing(JarEntry::getName)).toList()) {
        String name = entry.getName();
        if (name.startsWith(DIRECTORY)
            && FILE.matcher(name.substring(DIRECTORY.length())).matches()) {
          try (InputStream in = file.getInputStream(entry)) {
            texts.put(jar + "!/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
    return texts;
  }

  private static Map<String, String> fromSources(Path resources) {
    Map<String, String> texts = new LinkedHashMap<>();
    Path dir = resources.resolve(DIRECTORY);
    if (!Files.isDirectory(dir)) {
      return texts;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        if (FILE.matcher(file.getFileName().toString()).matches()) {
          texts.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    return texts;
  }

  /**
   * A resource of this descriptor's module, {@code META-INF/txc/<name>}: from its jar, or from its
   * sources when the jar is not built; empty when the module has none.
   */
  public java.util.Optional<Map<String, String>> resource(Path home, String name) {
    String entry = DIRECTORY + name;
    Path jarFile = home.resolve(jar);
    try {
      if (Files.isRegularFile(jarFile)) {
        try (JarFile file = new JarFile(jarFile.toFile())) {
          JarEntry found = file.getJarEntry(entry);
          if (found == null) {
            return java.util.Optional.empty();
          }
          try (InputStream in = file.getInputStream(found)) {
            return java.util.Optional.of(
                parse(
                    jarFile + "!/" + entry, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
        }
      }
      Path source = jarFile.getParent().getParent().resolve("src/main/resources").resolve(entry);
      return Files.isRegularFile(source)
          ? java.util.Optional.of(
              parse(source.toString(), Files.readString(source, StandardCharsets.UTF_8)))
          : java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + entry + " of " + jar, e);
    }
  }

  /** The keys of one descriptor file, in file order. */
  public static Map<String, String> parse(String source, String text) {
    Map<String, String> keys = new LinkedHashMap<>();
    Properties ordered =
        new Properties() {
          @Override
          public synchronized Object put(Object key, Object value) {
            keys.put((String) key, (String) value);
            return super.put(key, value);
          }
        };
    try (Reader in = new StringReader(text)) {
      ordered.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot parse " + source + ": " + e.getMessage());
    }
    return keys;
  }
}
