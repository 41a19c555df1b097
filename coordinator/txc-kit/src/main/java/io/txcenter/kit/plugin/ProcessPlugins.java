package io.txcenter.kit.plugin;

import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs every {@link ProcessPlugin} on the class path. Each service main calls {@link #install}
 * once, right before its Dubbo node starts; with no plugin jar on the class path (every production
 * launch) it does nothing.
 */
public final class ProcessPlugins {

  private static final Logger log = LoggerFactory.getLogger(ProcessPlugins.class);

  private ProcessPlugins() {}

  /**
   * Installs the plugins found by {@link ServiceLoader} through this class's loader, in class path
   * order; returns how many.
   *
   * @throws IllegalStateException wrapping the first plugin's failure (the process must not start
   *     without what its launcher asked for)
   */
  public static int install(PluginContext context) {
    int installed = 0;
    for (ProcessPlugin plugin :
        ServiceLoader.load(ProcessPlugin.class, ProcessPlugins.class.getClassLoader())) {
      String name = plugin.getClass().getName();
      try {
        plugin.install(context);
      } catch (Exception e) {
        throw new IllegalStateException(
            "plugin " + name + " failed in process [" + context.process() + "]", e);
      }
      log.warn("plugin installed process={} plugin={}", context.process(), name);
      installed++;
    }
    return installed;
  }
}
