package io.txcenter.outbox;

import io.txcenter.kit.tcc.TccBranch;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.List;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * Appends messages to the initiator's outbox as one branch of its global transaction. Confirm marks
 * the branch's PREPARED messages READY; Cancel marks them DISCARDED. Both idempotent ({@link
 * TccBranch}).
 */
@LocalTCC
public interface OutboxAppendAction extends TccBranch {

  String NAME = "outboxAppend";

  /** Inserts the messages PREPARED, invisible to the relay; refused after the branch's Cancel. */
  @TwoPhaseBusinessAction(
      name = NAME,
      commitMethod = "confirm",
      rollbackMethod = "cancel",
      useTCCFence = true)
  void tryAppend(BusinessActionContext context, List<OutboxMessage> messages);
}
