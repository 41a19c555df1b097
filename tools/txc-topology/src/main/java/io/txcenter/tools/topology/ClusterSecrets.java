package io.txcenter.tools.topology;

import io.txcenter.kit.ZooKeeperCredential;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.secrets.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets of one local topology, generated afresh by {@code up} when none of its processes is
 * running (so every fresh {@code up} rotates them all) and kept while any is: a restarted process
 * needs the same keys. One owner-only file, {@code <run dir>/secrets/cluster.properties}; processes
 * find it through {@code txc.secrets.file} (a path, never a value, on their command line).
 */
public final class ClusterSecrets {

  private ClusterSecrets() {}

  public static Path file(Path runDir) {
    return runDir.resolve("secrets").resolve("cluster.properties");
  }

  /**
   * Writes a new set of secrets for {@code config}, replacing any earlier one: one RPC key per
   * identity of the topology (the callers sign with theirs; the providers sign nothing today but
   * get a key so that they can).
   */
  public static Path generate(TopologyConfig config, List<String> rpcIdentities) {
    Map<String, String> secrets = new LinkedHashMap<>();
    // ZooKeeper digest credential user:password, shared by every process of the cluster
    secrets.put("zk.credential", "txc:" + Secrets.randomToken(24));
    for (String identity : rpcIdentities) {
      secrets.put("rpc.key." + identity, Secrets.randomToken(32));
    }
    // the local bank's callback secret (the CLI plays the bank); one bank.<bankId>.secret per bank
    secrets.put(BankSignature.secretName(LocalBank.ID), Secrets.randomToken(32));
    secrets.put("merchant.master-key", Secrets.randomToken(32));
    secrets.put("console.password", config.consolePassword());
    Path file = file(config.runDir());
    Secrets.writeFile(file, secrets);
    return file;
  }

  /** The ZooKeeper credential of the topology in {@code runDir} (its secrets file). */
  public static ZooKeeperCredential zooKeeperCredential(Path runDir) {
    Path file = file(runDir);
    if (!Files.exists(file)) {
      throw new CliException("no secrets file " + file + ": start the topology with up");
    }
    String credential = Secrets.readFile(file).getProperty(ZooKeeperCredential.SECRET);
    if (credential == null || credential.isBlank()) {
      throw new CliException(
          "secrets file " + file + " has no " + ZooKeeperCredential.SECRET + ": run up again");
    }
    return ZooKeeperCredential.parse(credential);
  }

  /** The secrets file of {@code runDir}, generated if missing. */
  public static Path ensure(TopologyConfig config, List<String> rpcIdentities) {
    Path file = file(config.runDir());
    return Files.exists(file) ? file : generate(config, rpcIdentities);
  }
}
