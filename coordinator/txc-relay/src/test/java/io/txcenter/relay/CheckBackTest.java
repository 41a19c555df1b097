package io.txcenter.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.relay.CheckBack.Decision;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.apache.seata.core.model.GlobalStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckBackTest {

  /**
   * The intended decision for every status the TC can answer. A status Seata adds fails {@link
   * #givenEveryGlobalStatus_theTableClassifiesIt} until it is classified here on purpose.
   */
  private static final Map<GlobalStatus, Decision> INTENDED = intended();

  private static Map<GlobalStatus, Decision> intended() {
    Map<GlobalStatus, Decision> table = new EnumMap<>(GlobalStatus.class);
    // the global transaction committed, or its commit is decided and under way
    table.put(GlobalStatus.Committed, Decision.READY);
    table.put(GlobalStatus.Committing, Decision.READY);
    table.put(GlobalStatus.CommitRetrying, Decision.READY);
    table.put(GlobalStatus.AsyncCommitting, Decision.READY);
    table.put(GlobalStatus.CommitRetryTimeout, Decision.READY);
    // it rolled back, or its rollback is decided and under way
    table.put(GlobalStatus.Rollbacked, Decision.DISCARD);
    table.put(GlobalStatus.Rollbacking, Decision.DISCARD);
    table.put(GlobalStatus.RollbackRetrying, Decision.DISCARD);
    table.put(GlobalStatus.TimeoutRollbacked, Decision.DISCARD);
    table.put(GlobalStatus.TimeoutRollbacking, Decision.DISCARD);
    table.put(GlobalStatus.TimeoutRollbackRetrying, Decision.DISCARD);
    table.put(GlobalStatus.RollbackRetryTimeout, Decision.DISCARD);
    table.put(GlobalStatus.RollbackFailed, Decision.DISCARD);
    table.put(GlobalStatus.TimeoutRollbackFailed, Decision.DISCARD);
    // the TC no longer holds it: only the business knows
    table.put(GlobalStatus.Finished, Decision.ASK_BUSINESS);
    // still running, or not a final answer
    table.put(GlobalStatus.Begin, Decision.WAIT);
    table.put(GlobalStatus.UnKnown, Decision.WAIT);
    table.put(GlobalStatus.CommitFailed, Decision.WAIT);
    table.put(GlobalStatus.Deleting, Decision.WAIT);
    table.put(GlobalStatus.StopCommitOrCommitRetry, Decision.WAIT);
    table.put(GlobalStatus.StopRollbackOrRollbackRetry, Decision.WAIT);
    return table;
  }

  @Test
  void givenEveryGlobalStatus_theTableClassifiesIt() {
    assertThat(INTENDED.keySet())
        .as("every GlobalStatus of the Seata client on the classpath must be classified")
        .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(GlobalStatus.class));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(GlobalStatus.class)
  void givenTcStatus_decide_givesTheIntendedDecision(GlobalStatus status) {
    assertThat(INTENDED).as("unclassified GlobalStatus %s", status).containsKey(status);

    assertThat(CheckBack.decide(status)).isEqualTo(INTENDED.get(status));
  }

  @Test
  void givenTheTcCouldNotBeAsked_decide_waits() {
    assertThat(CheckBack.decide(null)).isEqualTo(Decision.WAIT);
  }
}
