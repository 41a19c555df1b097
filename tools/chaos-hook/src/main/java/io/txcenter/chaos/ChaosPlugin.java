package io.txcenter.chaos;

import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugin;

/**
 * The chaos run's plugin: registers the {@link KillWindowHook} in any process with TCC branches
 * (participants and the initiators mall and payment alike), named by {@code txc.name}. The chaos
 * run ({@code bin/txc chaos}) puts this jar on the class path of every such process it starts.
 */
public final class ChaosPlugin implements ProcessPlugin {

  @Override
  public void install(PluginContext context) {
    KillWindowHook.installIfConfigured(Settings.string("txc.name", context.process()));
  }
}
