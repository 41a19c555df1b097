package io.txcenter.kit.rpc;

import io.txcenter.kit.validation.Ids;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which caller identities may call each method of one exported interface. Every method of the
 * interface must have a rule ({@link #parameters} fails otherwise), so a method added later cannot
 * be exported open by accident. The rules travel to the provider filter as service URL parameters
 * {@code txc-allow-<method>} (a comma-separated identity list).
 */
public final class Callers {

  /** URL parameter prefix of a method's rule. */
  public static final String PREFIX = "txc-allow-";

  private final Class<?> api;
  private final Set<String> methods;
  private final Map<String, Set<String>> rules = new TreeMap<>();

  private Callers(Class<?> api) {
    if (api == null || !api.isInterface()) {
      throw new IllegalArgumentException("'api' must be an interface, was " + api);
    }
    this.api = api;
    this.methods = new TreeSet<>();
    for (Method method : api.getMethods()) {
      if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
        methods.add(method.getName());
      }
    }
  }

  /** The rules of {@code api}, none yet. */
  public static Callers of(Class<?> api) {
    return new Callers(api);
  }

  /** Lets {@code identities} call {@code method} (every overload of that name). */
  public Callers allow(String method, String... identities) {
    if (!methods.contains(method)) {
      throw new IllegalArgumentException(
          "'method' must be a method of "
              + api.getSimpleName()
              + " "
              + methods
              + ", was ["
              + method
              + "]");
    }
    if (identities == null || identities.length == 0) {
      throw new IllegalArgumentException("'identities' must not be empty for [" + method + "]");
    }
    Set<String> allowed = rules.computeIfAbsent(method, m -> new TreeSet<>());
    for (String identity : identities) {
      if (!Ids.isIdentity(identity)) {
        throw new IllegalArgumentException(
            "'identity' must match " + Ids.IDENTITY + ", was [" + identity + "]");
      }
      allowed.add(identity);
    }
    return this;
  }

  public Class<?> api() {
    return api;
  }

  /**
   * The service URL parameters carrying the rules.
   *
   * @throws IllegalStateException naming the methods of the interface that have no rule
   */
  public Map<String, String> parameters() {
    Set<String> missing = new TreeSet<>(methods);
    missing.removeAll(rules.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "no caller rule for "
              + api.getSimpleName()
              + " methods "
              + missing
              + ": every exported method must name who may call it");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    rules.forEach(
        (method, identities) -> parameters.put(PREFIX + method, String.join(",", identities)));
    return parameters;
  }

  /** True if {@code rule} (a parameter value, null when absent) lets {@code caller} in. */
  public static boolean permits(String rule, String caller) {
    if (rule == null || rule.isBlank() || caller == null) {
      return false;
    }
    return Arrays.asList(rule.split(",")).contains(caller);
  }
}
