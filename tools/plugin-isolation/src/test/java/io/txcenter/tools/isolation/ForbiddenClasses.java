package io.txcenter.tools.isolation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * What no production jar may hold: a class of the bench or chaos plugin packages, a txcenter class
 * named like a benchmark or fault-injection class, or a plugin registration (a production process
 * must install no {@code ProcessPlugin}).
 */
final class ForbiddenClasses {

  private static final List<String> PLUGIN_PACKAGES =
      List.of("io/txcenter/bench/", "io/txcenter/chaos/");

  private static final Pattern NAMED =
      Pattern.compile(
          "io/txcenter/.*/(\\w*Bench\\w*|KillWindowHook|Direct\\w*Service)(\\$.*)?\\.class");

  static final String REGISTRATION = "META-INF/services/io.txcenter.kit.plugin.ProcessPlugin";

  private ForbiddenClasses() {}

  /** The forbidden entries of {@code jar}, as {@code <jar>!<entry>}. */
  static List<String> in(Path jar) {
    List<String> found = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (forbidden(name)) {
          found.add(jar + "!" + name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + jar, e);
    }
    return found;
  }

  static boolean forbidden(String entry) {
    return PLUGIN_PACKAGES.stream().anyMatch(entry::startsWith)
        || NAMED.matcher(entry).matches()
        || entry.equals(REGISTRATION);
  }
}
