package io.txcenter.tc.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.seata.core.model.GlobalStatus;
import io.txcenter.tc.console.SessionResolveController.ResolveRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TC's own checks of a resolve request, before it looks at any session: malformed requests are
 * refused, and only a session Seata's retry task would take in that direction qualifies.
 */
class SessionResolveControllerTest {

  private static final String XID = "127.0.0.1:8091:42";

  @Test
  void aWellFormedRequest_passes() {
    assertThat(
            SessionResolveController.invalid(
                new ResolveRequest(XID, "commit", List.of(1L, 2L), "participant retired")))
        .isNull();
  }

  @Test
  void malformedRequests_areRefused_withWhatIsWrong() {
    assertThat(SessionResolveController.invalid(null)).contains("JSON body");
    assertThat(invalid(new ResolveRequest("x' OR 1=1", "commit", List.of(1L), "why not")))
        .contains("xid");
    assertThat(invalid(new ResolveRequest(XID, "COMMIT", List.of(1L), "why not")))
        .contains("direction");
    assertThat(invalid(new ResolveRequest(XID, "commit", List.of(), "why not")))
        .contains("branchIds");
    assertThat(invalid(new ResolveRequest(XID, "commit", null, "why not"))).contains("branchIds");
    assertThat(invalid(new ResolveRequest(XID, "commit", Arrays.asList(1L, null), "why not")))
        .contains("branchIds");
    List<Long> tooMany = new ArrayList<>();
    for (long i = 0; i <= SessionResolveController.MAX_BRANCHES; i++) {
      tooMany.add(i);
    }
    assertThat(invalid(new ResolveRequest(XID, "commit", tooMany, "why not")))
        .contains("branchIds");
    assertThat(invalid(new ResolveRequest(XID, "commit", List.of(1L), null))).contains("reason");
    assertThat(invalid(new ResolveRequest(XID, "commit", List.of(1L), " a "))).contains("reason");
    assertThat(invalid(new ResolveRequest(XID, "commit", List.of(1L), "two\nlines")))
        .contains("reason");
    assertThat(invalid(new ResolveRequest(XID, "commit", List.of(1L), "x".repeat(501))))
        .contains("reason");
  }

  @Test
  void onlyASessionTheRetryTaskWouldTake_inThatDirection_qualifies() {
    assertThat(SessionResolveController.retrying(GlobalStatus.CommitRetrying, true, false))
        .isTrue();
    assertThat(SessionResolveController.retrying(GlobalStatus.Committing, true, false)).isFalse();
    assertThat(SessionResolveController.retrying(GlobalStatus.Committing, true, true)).isTrue();
    assertThat(SessionResolveController.retrying(GlobalStatus.CommitRetrying, false, true))
        .isFalse();
    assertThat(SessionResolveController.retrying(GlobalStatus.Begin, true, true)).isFalse();
    assertThat(SessionResolveController.retrying(GlobalStatus.Begin, false, true)).isFalse();
    assertThat(SessionResolveController.retrying(GlobalStatus.RollbackRetrying, false, false))
        .isTrue();
    assertThat(
            SessionResolveController.retrying(GlobalStatus.TimeoutRollbackRetrying, false, false))
        .isTrue();
    assertThat(SessionResolveController.retrying(GlobalStatus.TimeoutRollbacking, false, false))
        .isFalse();
    assertThat(SessionResolveController.retrying(GlobalStatus.TimeoutRollbacking, false, true))
        .isTrue();
    assertThat(SessionResolveController.retrying(GlobalStatus.RollbackRetrying, true, true))
        .isFalse();
  }

  private static String invalid(ResolveRequest request) {
    return SessionResolveController.invalid(request);
  }
}
