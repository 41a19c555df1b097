package io.txcenter.tc.console;

import io.seata.common.Constants;
import io.seata.core.exception.TransactionException;
import io.seata.core.model.BranchType;
import io.seata.core.model.GlobalStatus;
import io.seata.server.session.BranchSession;
import io.seata.server.session.GlobalSession;
import io.seata.server.session.SessionHelper;
import io.seata.server.session.SessionHolder;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/txc/resolve}: takes named TCC branches out of a global session whose phase
 * two the TC already decided and keeps retrying, in the direction it decided, and ends the session
 * when no branch is left. This is the TC half of {@code bin/txc tx resolve}; the CLI proves first,
 * from each participant's fence row, that the branch's phase two was applied (docs/operations.md).
 *
 * <p>Why an endpoint of our own: Seata server 2.0.0's console only reads, and the TC has no other
 * way to drop one branch of a session. It lives in the console's Spring context, so Seata's own
 * login (JWT, with txcenter's login throttle) guards it like every other {@code /api/v1} path.
 *
 * <p>The TC re-checks what it can know itself and trusts nothing else of the caller: the session
 * must be retrying in the requested direction (a {@code Committing} or {@code Rollbacking} session
 * only once Seata's own retry would take it, {@link GlobalSession#isDeadSession()}), every named
 * branch must still be in it and be TCC (an AT branch holds row locks and undo logs that only its
 * phase two releases). It holds Seata's retry lock of that direction ({@link
 * SessionHolder#acquireDistributedLock}, shared by every TC on the db store) and the session's own
 * lock while it changes the session, so the retry task does not run beside it. A request that fails
 * a check changes nothing.
 */
@RestController
@RequestMapping("/api/v1/txc")
public class SessionResolveController {

  private static final Logger log = LoggerFactory.getLogger(SessionResolveController.class);

  private static final Pattern XID = Pattern.compile("[0-9.]{7,15}:\\d{1,5}:\\d{1,20}");

  /** Branches of one request at most. */
  static final int MAX_BRANCHES = 100;

  /** The request: the session, the direction the TC decided, the branches, and why. */
  public record ResolveRequest(String xid, String direction, List<Long> branchIds, String reason) {}

  @PostMapping("/resolve")
  public ResponseEntity<Map<String, Object>> resolve(
      @RequestBody(required = false) ResolveRequest request, Principal user) {
    String refused = invalid(request);
    if (refused != null) {
      return answer(HttpStatus.BAD_REQUEST, refused, null);
    }
    boolean commit = request.direction().equals("commit");
    String lockKey = commit ? Constants.RETRY_COMMITTING : Constants.RETRY_ROLLBACKING;
    if (!SessionHolder.acquireDistributedLock(lockKey)) {
      return answer(
          HttpStatus.CONFLICT, "the TC's retry task holds the session lock; try again", null);
    }
    try {
      GlobalSession session = SessionHolder.findGlobalSession(request.xid(), true);
      if (session == null) {
        return answer(HttpStatus.NOT_FOUND, "no session " + request.xid() + " in the TC", null);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      String conflict =
          SessionHolder.lockAndExecute(
              session, () -> resolveLocked(session, commit, request, result));
      if (conflict != null) {
        return answer(HttpStatus.CONFLICT, conflict, null);
      }
      log.warn(
          "resolve xid={} direction={} removed={} remaining={} ended={} user={} reason={}",
          request.xid(),
          request.direction(),
          result.get("removed"),
          result.get("remaining"),
          result.get("ended"),
          user == null ? "?" : user.getName(),
          request.reason());
      return answer(HttpStatus.OK, null, result);
    } catch (TransactionException | RuntimeException e) {
      log.error("resolve failed xid={} direction={}", request.xid(), request.direction(), e);
      return answer(
          HttpStatus.INTERNAL_SERVER_ERROR, "the TC could not change the session: " + e, null);
    } finally {
      SessionHolder.releaseDistributedLock(lockKey);
    }
  }

  /** A refusal, or null once every named branch is out of {@code session}. */
  private static String resolveLocked(
      GlobalSession session, boolean commit, ResolveRequest request, Map<String, Object> result)
      throws TransactionException {
    GlobalStatus status = session.getStatus();
    if (!retrying(status, commit, session.isDeadSession())) {
      return "the session is "
          + status
          + ": the TC is not retrying its "
          + (commit ? "commit" : "rollback")
          + (decided(status) ? ", and it decided the other way" : " (yet)");
    }
    List<BranchSession> branches = new ArrayList<>();
    for (long id : new LinkedHashSet<>(request.branchIds())) {
      BranchSession branch = session.getBranch(id);
      if (branch == null) {
        return "branch " + id + " is not in session " + session.getXid();
      }
      if (branch.getBranchType() != BranchType.TCC) {
        return "branch " + id + " is " + branch.getBranchType() + ", only TCC branches resolve";
      }
      branches.add(branch);
    }
    for (BranchSession branch : branches) {
      SessionHelper.removeBranch(session, branch, false);
    }
    List<Long> remaining = new ArrayList<>();
    session.getBranchSessions().forEach(b -> remaining.add(b.getBranchId()));
    boolean ended = remaining.isEmpty();
    if (ended) {
      if (commit) {
        SessionHelper.endCommitted(session, true);
      } else {
        SessionHelper.endRollbacked(session, true);
      }
    }
    result.put("xid", session.getXid());
    result.put("statusBefore", status.name());
    result.put("removed", branches.stream().map(BranchSession::getBranchId).toList());
    result.put("remaining", remaining);
    result.put("ended", ended);
    result.put("statusAfter", session.getStatus().name());
    return null;
  }

  /** Whether Seata's retry task of that direction would take a session in {@code status}. */
  static boolean retrying(GlobalStatus status, boolean commit, boolean dead) {
    if (commit) {
      return status == GlobalStatus.CommitRetrying || (status == GlobalStatus.Committing && dead);
    }
    return status == GlobalStatus.RollbackRetrying
        || status == GlobalStatus.TimeoutRollbackRetrying
        || ((status == GlobalStatus.Rollbacking || status == GlobalStatus.TimeoutRollbacking)
            && dead);
  }

  private static boolean decided(GlobalStatus status) {
    return status != GlobalStatus.Begin && status != GlobalStatus.UnKnown;
  }

  /** Why the request is malformed, or null. */
  static String invalid(ResolveRequest request) {
    if (request == null) {
      return "a JSON body {xid, direction, branchIds, reason} is required";
    }
    if (request.xid() == null || !XID.matcher(request.xid()).matches()) {
      return "xid must be ip:port:transactionId";
    }
    if (!"commit".equals(request.direction()) && !"rollback".equals(request.direction())) {
      return "direction must be commit or rollback";
    }
    List<Long> ids = request.branchIds();
    if (ids == null
        || ids.isEmpty()
        || ids.size() > MAX_BRANCHES
        || ids.stream().anyMatch(id -> id == null)) {
      return "branchIds must name 1 to " + MAX_BRANCHES + " branches";
    }
    String reason = request.reason();
    if (reason == null
        || reason.strip().length() < 3
        || reason.length() > 500
        || reason.chars().anyMatch(c -> c < 0x20)) {
      return "reason must be one line of 3 to 500 characters";
    }
    return null;
  }

  private static ResponseEntity<Map<String, Object>> answer(
      HttpStatus status, String error, Map<String, Object> result) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", error == null);
    if (error != null) {
      body.put("message", error);
    } else {
      body.put("data", result);
    }
    return ResponseEntity.status(status).body(body);
  }
}
