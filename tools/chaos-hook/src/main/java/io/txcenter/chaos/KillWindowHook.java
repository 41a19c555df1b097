package io.txcenter.chaos;

import io.txcenter.kit.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.seata.integration.tx.api.fence.hook.TccHook;
import org.apache.seata.integration.tx.api.fence.hook.TccHookManager;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Seata {@link TccHook} through which the chaos run ({@code bin/txc chaos}) kills a process
 * inside a chosen TCC window rather than at a random instant. Installed by {@link ChaosPlugin},
 * which is on a process's class path only when the chaos run starts the topology; off unless {@code
 * txc.chaos.dir} is set.
 *
 * <p>Protocol: the chaos run arms a window for one process by writing the window's name to {@code
 * <chaos dir>/arm/<process>}. The first phase of that process that enters the window claims the arm
 * (deletes it), publishes {@code <chaos dir>/hit/<process>} (window, xid, branch, action) and holds
 * for {@code txc.chaos.hold.ms} (default 5000): the chaos run, which waits for the hit file, kills
 * the process during the hold. Windows, by the hook Seata calls:
 *
 * <ul>
 *   <li>{@code try}: {@code beforeTccPrepare}, after the branch is registered with the TC and
 *       before Try's local transaction;
 *   <li>{@code between}: {@code afterTccPrepare}, after Try committed locally and before the caller
 *       hears of it, so no Confirm or Cancel has been sent yet;
 *   <li>{@code confirm}: {@code beforeTccCommit}, the TC's Confirm received, not yet applied;
 *   <li>{@code cancel}: {@code beforeTccRollback}, the TC's Cancel received, not yet applied.
 * </ul>
 *
 * <p>A hook is used, not code in each action, so every TCC branch of every process (participants
 * and the initiators' own order, payment and outbox branches) exposes the same windows.
 */
public final class KillWindowHook implements TccHook {

  private static final Logger log = LoggerFactory.getLogger(KillWindowHook.class);

  /** The windows a chaos run can arm, in the order a branch passes them. */
  public enum Window {
    TRY,
    BETWEEN,
    CONFIRM,
    CANCEL;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Path arm;
  private final Path hitDir;
  private final String process;
  private final long holdMillis;

  KillWindowHook(Path chaosDir, String process, long holdMillis) {
    this.arm = chaosDir.resolve("arm").resolve(process);
    this.hitDir = chaosDir.resolve("hit");
    this.process = process;
    this.holdMillis = holdMillis;
  }

  /**
   * Registers the hook with Seata when {@code txc.chaos.dir} is set; otherwise does nothing.
   * Returns whether it registered.
   */
  static boolean installIfConfigured(String process) {
    String dir = Settings.string("txc.chaos.dir", "");
    if (dir.isBlank()) {
      return false;
    }
    TccHookManager.registerHook(
        new KillWindowHook(Path.of(dir), process, Settings.longValue("txc.chaos.hold.ms", 5_000)));
    log.warn("chaos kill windows enabled process={} dir={}", process, dir);
    return true;
  }

  @Override
  public void beforeTccPrepare(
      String xid, Long branchId, String actionName, BusinessActionContext context) {
    enter(Window.TRY, xid, branchId, actionName);
  }

  @Override
  public void afterTccPrepare(
      String xid, Long branchId, String actionName, BusinessActionContext context) {
    enter(Window.BETWEEN, xid, branchId, actionName);
  }

  @Override
  public void beforeTccCommit(
      String xid, Long branchId, String actionName, BusinessActionContext context) {
    enter(Window.CONFIRM, xid, branchId, actionName);
  }

  @Override
  public void afterTccCommit(
      String xid, Long branchId, String actionName, BusinessActionContext context) {}

  @Override
  public void beforeTccRollback(
      String xid, Long branchId, String actionName, BusinessActionContext context) {
    enter(Window.CANCEL, xid, branchId, actionName);
  }

  @Override
  public void afterTccRollback(
      String xid, Long branchId, String actionName, BusinessActionContext context) {}

  /** True when this call claimed an armed window and held it (and was not killed). */
  boolean enter(Window window, String xid, Long branchId, String actionName) {
    if (!Files.exists(arm)) {
      return false;
    }
    try {
      String armed = Files.readString(arm, StandardCharsets.UTF_8).trim();
      if (!armed.equals(window.id()) || !Files.deleteIfExists(arm)) {
        return false; // another window, or another thread claimed it first
      }
      Files.createDirectories(hitDir);
      Path tmp = hitDir.resolve(process + ".tmp");
      Files.writeString(
          tmp,
          "window="
              + window.id()
              + "\nxid="
              + xid
              + "\nbranch="
              + branchId
              + "\naction="
              + actionName
              + "\n",
          StandardCharsets.UTF_8);
      Files.move(tmp, hitDir.resolve(process), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("chaos window not taken process={} window={} xid={}", process, window.id(), xid, e);
      return false;
    }
    log.warn(
        "chaos window open process={} window={} xid={} branch={} action={} hold_ms={}",
        process,
        window.id(),
        xid,
        branchId,
        actionName,
        holdMillis);
    try {
      Thread.sleep(holdMillis); // the chaos run kills this process during the hold
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
