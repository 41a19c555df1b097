package io.txcenter.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads the DDL sets packaged under {@code sql/<set>/V<nnn>__*.sql} on the class path, in version
 * order. A set is found by its folder wherever it is packaged: the shared sets in this module's jar
 * ({@code txc-sql}), a service's own set in the service's jar (its {@code
 * src/main/resources/sql/<set>/}). One set lives in one jar: the first class-path entry that holds
 * the folder is the set.
 */
public final class DdlScripts {

  private DdlScripts() {}

  /** The script names of one set, sorted (V001 before V002). */
  public static List<String> scripts(String set) {
    String folder = "sql/" + set + "/";
    URL url = DdlScripts.class.getClassLoader().getResource(folder);
    if (url == null) {
      throw new IllegalArgumentException("no DDL set on the classpath: [" + folder + "]");
    }
    TreeSet<String> names = new TreeSet<>();
    try {
      if ("jar".equals(url.getProtocol())) {
        JarURLConnection jar = (JarURLConnection) url.openConnection();
        jar.setUseCaches(false);
        try (JarFile file = jar.getJarFile()) {
          file.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith(folder) && n.endsWith(".sql"))
              .map(n -> n.substring(folder.length()))
              .filter(n -> !n.contains("/"))
              .forEach(names::add);
        }
      } else {
        try (Stream<Path> files = Files.list(Path.of(new URI(url.toString())))) {
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .forEach(names::add);
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list DDL set [" + folder + "]", e);
    }
    return List.copyOf(names);
  }

  /** The statements of one script, in order, without comment lines or trailing semicolons. */
  public static List<String> statements(String set, String script) {
    String resource = "sql/" + set + "/" + script;
    try (InputStream in = DdlScripts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no DDL script on the classpath: [" + resource + "]");
      }
      StringBuilder sql = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.strip().isEmpty() && !line.strip().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      List<String> statements = new ArrayList<>();
      for (String statement : sql.toString().split(";\\s*\n")) {
        if (!statement.isBlank()) {
          statements.add(statement.strip().replaceAll(";$", ""));
        }
      }
      return statements;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every statement of every script of one set, in order. */
  public static List<String> allStatements(String set) {
    List<String> all = new ArrayList<>();
    for (String script : scripts(set)) {
      all.addAll(statements(set, script));
    }
    return all;
  }
}
