package io.txcenter.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.txcenter.kit.tcc.SecondPhaseTcc;
import io.txcenter.outbox.api.OutboxMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbox branch on the initiator's schema, inside Seata's fence. */
public class OutboxAppendTcc extends SecondPhaseTcc implements OutboxAppendAction {

  private static final Logger log = LoggerFactory.getLogger(OutboxAppendTcc.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutboxMapper outbox;

  public OutboxAppendTcc(OutboxMapper outbox) {
    this.outbox = outbox;
  }

  /** For Seata's proxy, which subclasses this class and delegates every call to the wrapped one. */
  protected OutboxAppendTcc() {
    this.outbox = null;
  }

  @Override
  public void tryAppend(BusinessActionContext context, List<OutboxMessage> messages) {
    prepare(outbox, context.getXid(), context.getBranchId(), messages);
  }

  @Override
  protected boolean complete(BusinessActionContext context, Phase phase) {
    settle(outbox, context.getXid(), context.getBranchId(), phase);
    return true;
  }

  /**
   * Inserts {@code messages} PREPARED under branch {@code (xid, branchId)}, in the caller's local
   * transaction: this branch's Try, or another action's Try that carries the messages in its own
   * branch ({@link Outbox#prepareInBranch}).
   */
  static void prepare(
      OutboxMapper outbox, String xid, long branchId, List<OutboxMessage> messages) {
    for (OutboxMessage message : messages) {
      String messageId = UUID.randomUUID().toString();
      outbox.insertMessage(
          messageId,
          xid,
          branchId,
          message.topic(),
          String.join(",", message.tags()),
          message.businessKey(),
          message.payload(),
          headers(message.headers()));
      log.info(
          "outbox prepared xid={} branch={} key={} topic={} tags={} message={}",
          xid,
          branchId,
          message.businessKey(),
          message.topic(),
          message.tags(),
          messageId);
    }
  }

  /**
   * Settles the PREPARED messages of branch {@code (xid, branchId)}: READY in Confirm, DISCARDED in
   * Cancel; idempotent (a settled message is not PREPARED any more). Returns how many changed.
   */
  static int settle(OutboxMapper outbox, String xid, long branchId, Phase phase) {
    OutboxStatus to = phase == Phase.CONFIRM ? OutboxStatus.READY : OutboxStatus.DISCARDED;
    int n = outbox.settleBranch(xid, branchId, to.name(), "TCC");
    log.info(
        phase == Phase.CONFIRM
            ? "outbox ready xid={} branch={} messages={}"
            : "outbox discarded xid={} branch={} messages={}",
        xid,
        branchId,
        n);
    return n;
  }

  private static String headers(Map<String, String> headers) {
    try {
      return JSON.writeValueAsString(headers == null ? Map.of() : headers);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("headers are not serialisable", e);
    }
  }
}
