package io.txcenter.kit.plugin;

/**
 * Code a tool adds to a service process by putting a jar on its class path, found with {@link
 * java.util.ServiceLoader} (the jar lists its implementations in {@code
 * META-INF/services/io.txcenter.kit.plugin.ProcessPlugin}). The benchmark's extra services and the
 * chaos run's kill windows are plugins: no product jar contains them, and a process started by
 * {@code bin/txc up} or {@code demo} has none on its class path.
 *
 * <p>Contract: {@link #install} is called once, on the main thread, after the process has opened
 * its schema, started its Seata client and created its Dubbo node, and before that node exports
 * anything ({@link io.txcenter.kit.DubboNode#start()}): a plugin may export services and create
 * references on {@link PluginContext#node()}, register Seata hooks, read settings. A plugin that
 * cannot work in this process (a setting it requires is missing) throws, and the process fails to
 * start rather than run without what its launcher asked for. A plugin jar carries only its own
 * classes: what it uses of the service is on the service's class path already.
 */
public interface ProcessPlugin {

  /** Adds this plugin's part to the process described by {@code context}. */
  void install(PluginContext context) throws Exception;
}
