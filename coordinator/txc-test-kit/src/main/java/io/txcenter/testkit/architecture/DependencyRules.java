package io.txcenter.testkit.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependency rules of a txcenter project, checked on what the build produced: the compiled
 * classes ({@code target/classes}, read with ArchUnit's class-file importer), the runtime class
 * path of every runnable jar ({@code target/lib}, the copy the launcher runs with) and the api
 * modules' poms.
 *
 * <ol>
 *   <li>No product code (service, framework, infrastructure) uses a tool's class; the framework
 *       uses no service class either.
 *   <li>No tool jar is on the runtime class path of a process that is not itself a tool.
 *   <li>An api jar depends on nothing: its pom declares no dependency outside test scope and its
 *       classes use only the JDK and themselves.
 * </ol>
 *
 * <p>What a module is follows from where it lives, the layout a newcomer reads: {@code tools/…} is
 * a tool, {@code *-api} an api, {@code coordinator/…} the framework, {@code participant-*}, {@code
 * mall-order}, {@code accompaniment} and {@code examples} services, anything else (ZooKeeper, the
 * embedded database, the DDL) infrastructure for local runs.
 */
public final class DependencyRules {

  /** What a module is, by its place in the tree. */
  public enum Kind {
    API,
    FRAMEWORK,
    SERVICE,
    TOOL,
    INFRA
  }

  /** One Maven module of the tree that builds a jar. */
  public record Module(String path, String artifactId, Kind kind, Path dir) {

    Path classes() {
      return dir.resolve("target").resolve("classes");
    }
  }

  private static final Set<String> SERVICE_ROOTS =
      Set.of("mall-order", "accompaniment", "examples");

  private static final Set<String> SKIPPED = Set.of("target", "run", "src", "node_modules");

  private static final Pattern ARTIFACT =
      Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);
  private static final Pattern PACKAGING = Pattern.compile("<packaging>([^<]+)</packaging>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern NOT_OWN_DEPENDENCIES =
      Pattern.compile(
          "<(dependencyManagement|build|profiles|pluginManagement)>.*?</\\1>", Pattern.DOTALL);

  private DependencyRules() {}

  /** Every module below {@code root} that builds a jar, in path order. */
  public static List<Module> modules(Path root) {
    List<Module> modules = new ArrayList<>();
    for (Path pom : poms(root)) {
      String text;
      try {
        text = Files.readString(pom);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher packaging = PACKAGING.matcher(text);
      if (packaging.find() && packaging.group(1).trim().equals("pom")) {
        continue;
      }
      Matcher artifact = ARTIFACT.matcher(text);
      if (!artifact.find()) {
        continue;
      }
      String path = root.relativize(pom.getParent()).toString().replace('\\', '/');
      String artifactId = artifact.group(1).trim();
      modules.add(new Module(path, artifactId, kindOf(path, artifactId), pom.getParent()));
    }
    return modules;
  }

  /** The module poms below {@code root}, not descending into build output, run dirs or VCS. */
  private static List<Path> poms(Path root) {
    List<Path> poms = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          Set.of(),
          5,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              return !dir.equals(root) && (SKIPPED.contains(name) || name.startsWith("."))
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (file.getFileName().toString().equals("pom.xml")
                  && !file.getParent().equals(root)) {
                poms.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    poms.sort(Comparator.naturalOrder());
    return poms;
  }

  static Kind kindOf(String path, String artifactId) {
    String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    if (top.equals("tools")) {
      return Kind.TOOL;
    }
    if (artifactId.endsWith("-api")) {
      return Kind.API;
    }
    if (top.equals("coordinator")) {
      return Kind.FRAMEWORK;
    }
    if (top.startsWith("participant-") || SERVICE_ROOTS.contains(top)) {
      return Kind.SERVICE;
    }
    return Kind.INFRA;
  }

  /** Every broken rule of the tree below {@code root}, one line each; empty when it is sound. */
  public static List<String> violations(Path root) {
    List<Module> modules = modules(root);
    List<String> violations = new ArrayList<>();
    violations.addAll(classViolations(modules));
    violations.addAll(classPathViolations(modules));
    violations.addAll(apiPomViolations(modules));
    return violations;
  }

  /** Rules 1 and 3 on the compiled classes. */
  static List<String> classViolations(List<Module> modules) {
    Map<String, Module> owner = new HashMap<>();
    Map<Module, JavaClasses> classesOf = new HashMap<>();
    ClassFileImporter importer = new ClassFileImporter();
    for (Module module : modules) {
      if (!Files.isDirectory(module.classes())) {
        continue;
      }
      JavaClasses classes = importer.importPath(module.classes());
      classesOf.put(module, classes);
      for (JavaClass c : classes) {
        owner.putIfAbsent(c.getName(), module);
      }
    }
    Set<String> violations = new TreeSet<>();
    for (Map.Entry<Module, JavaClasses> entry : classesOf.entrySet()) {
      Module from = entry.getKey();
      for (JavaClass c : entry.getValue()) {
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          if (target.isPrimitive() || target.isArray()) {
            continue;
          }
          String name = target.getName();
          Module to = owner.get(name);
          String broken = brokenRule(from, to, name);
          if (broken != null) {
            violations.add(
                broken
                    + ": "
                    + from.path()
                    + " "
                    + c.getName()
                    + " uses "
                    + (to == null ? name : to.path() + " " + name));
          }
        }
      }
    }
    return List.copyOf(violations);
  }

  private static String brokenRule(Module from, Module to, String targetName) {
    if (from.kind() == Kind.API) {
      boolean own = to != null && to.equals(from);
      if (!own && !targetName.startsWith("java.")) {
        return "api depends on something";
      }
      return null;
    }
    if (to == null || to.equals(from)) {
      return null;
    }
    if (to.kind() == Kind.TOOL && from.kind() != Kind.TOOL) {
      return from.kind().name().toLowerCase(Locale.ROOT) + " imports a tool";
    }
    if (from.kind() == Kind.FRAMEWORK && to.kind() == Kind.SERVICE) {
      return "framework imports a service";
    }
    return null;
  }

  /** Rule 2: no tool jar in the runtime class path ({@code target/lib}) of a product process. */
  static List<String> classPathViolations(List<Module> modules) {
    List<String> tools =
        modules.stream()
            .filter(m -> m.kind() == Kind.TOOL)
            .map(Module::artifactId)
            .sorted(Comparator.comparing(String::length).reversed())
            .toList();
    List<String> violations = new ArrayList<>();
    for (Module module : modules) {
      Path lib = module.dir().resolve("target").resolve("lib");
      if (module.kind() == Kind.TOOL || !Files.isDirectory(lib)) {
        continue;
      }
      try (Stream<Path> jars = Files.list(lib)) {
        for (Path jar : jars.sorted().toList()) {
          String name = jar.getFileName().toString();
          for (String tool : tools) {
            if (name.matches(Pattern.quote(tool) + "-\\d.*\\.jar")) {
              violations.add(
                  "tool on a runtime class path: "
                      + module.path()
                      + " runs with "
                      + name
                      + " (target/lib)");
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return violations;
  }

  /** Rule 3 on the poms: an api module declares no dependency outside test scope. */
  static List<String> apiPomViolations(List<Module> modules) {
    List<String> violations = new ArrayList<>();
    for (Module module : modules) {
      if (module.kind() != Kind.API) {
        continue;
      }
      String pom;
      try {
        pom = Files.readString(module.dir().resolve("pom.xml"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher dependency = DEPENDENCY.matcher(NOT_OWN_DEPENDENCIES.matcher(pom).replaceAll(""));
      while (dependency.find()) {
        String body = dependency.group(1);
        if (!body.replaceAll("\\s", "").contains("<scope>test</scope>")) {
          Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(body);
          violations.add(
              "api depends on something: "
                  + module.path()
                  + "/pom.xml declares "
                  + (artifact.find() ? artifact.group(1) : body.trim()));
        }
      }
    }
    return violations;
  }
}
