package io.txcenter.kit.plugin;

import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ProcessPlugin} gets of the process it is installed in: the process name ({@code
 * txc.name}), its {@link ParticipantRuntime} (schema, mappers, transaction manager) when it has
 * one, its Dubbo node before it starts, and the components the main registered by name (the service
 * implementation, a reference factory…). Settings are read with {@link io.txcenter.kit.Settings} as
 * anywhere else.
 *
 * <p>Component names are part of the contract between a service's main and the plugins that extend
 * it: a main documents the names it registers, and a plugin asks for them with their type.
 */
public final class PluginContext {

  private final String process;
  private final ParticipantRuntime runtime;
  private final DubboNode node;
  private final Map<String, Object> components = new LinkedHashMap<>();

  private PluginContext(String process, ParticipantRuntime runtime, DubboNode node) {
    this.process = Objects.requireNonNull(process, "process");
    this.runtime = runtime;
    this.node = Objects.requireNonNull(node, "node");
  }

  /** The context of a TCC process: named after its runtime. */
  public static PluginContext of(ParticipantRuntime runtime, DubboNode node) {
    return new PluginContext(runtime.name(), runtime, node);
  }

  /** The context of a process without a {@link ParticipantRuntime}. */
  public static PluginContext of(String process, DubboNode node) {
    return new PluginContext(process, null, node);
  }

  /** Registers {@code component} under {@code name} for the plugins; returns this context. */
  public PluginContext with(String name, Object component) {
    if (components.putIfAbsent(name, Objects.requireNonNull(component, name)) != null) {
      throw new IllegalArgumentException("component [" + name + "] registered twice");
    }
    return this;
  }

  /** The process's name as its main knows it (e.g. {@code points-c1}, {@code mall}). */
  public String process() {
    return process;
  }

  /** The process's runtime; empty for a process that has no TCC branch. */
  public Optional<ParticipantRuntime> runtime() {
    return Optional.ofNullable(runtime);
  }

  /** The process's Dubbo node, not started yet. */
  public DubboNode node() {
    return node;
  }

  /**
   * The component registered under {@code name}.
   *
   * @throws IllegalStateException if there is none or it is not a {@code type}: the plugin does not
   *     fit this process
   */
  public <T> T component(String name, Class<T> type) {
    Object component = components.get(name);
    if (!type.isInstance(component)) {
      throw new IllegalStateException(
          "process ["
              + process
              + "] has no component ["
              + name
              + "] of type "
              + type.getName()
              + " (it has "
              + components.keySet()
              + ")");
    }
    return type.cast(component);
  }
}
