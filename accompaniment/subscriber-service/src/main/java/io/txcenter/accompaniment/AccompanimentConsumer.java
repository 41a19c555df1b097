package io.txcenter.accompaniment;

import io.txcenter.outbox.IdempotentConsumer;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import java.sql.Timestamp;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An accompaniment subscriber's consumer: applies each event once (its effect is the {@code
 * accompaniment_event} row of this group), refuses events of blocked business keys (a poisoned
 * event, fixed by removing the block), and can be told to fail the first attempts of every message
 * ({@code failFirst}) to exercise the relay's retries.
 */
public final class AccompanimentConsumer implements EventConsumer {

  private static final Logger log = LoggerFactory.getLogger(AccompanimentConsumer.class);

  private final IdempotentConsumer idempotent;
  private final int failFirst;

  public AccompanimentConsumer(IdempotentConsumer idempotent, int failFirst) {
    this.idempotent = idempotent;
    this.failFirst = failFirst;
  }

  @Override
  public void consume(EventMessage message) {
    // a forged or corrupt message is refused before anything, even a configured failure
    EventMessageCheck.requireWellFormed(message);
    if (message.attempt() <= failFirst) {
      throw new ConsumerException(
          ConsumerException.Code.TRANSIENT,
          "configured to fail the first "
              + failFirst
              + " attempts, this is attempt "
              + message.attempt());
    }
    List<String> blocked =
        idempotent
            .jdbc()
            .queryForList(
                "SELECT reason FROM blocked_key WHERE business_key = ?",
                String.class,
                message.businessKey());
    if (!blocked.isEmpty()) {
      log.warn(
          "event refused group={} key={} message={} reason={}",
          idempotent.consumerGroup(),
          message.businessKey(),
          message.messageId(),
          blocked.get(0));
      throw new ConsumerException(
          ConsumerException.Code.REJECTED,
          "business key [" + message.businessKey() + "] is blocked: " + blocked.get(0));
    }
    IdempotentConsumer.Outcome outcome =
        idempotent.consume(
            message.messageId(),
            () ->
                idempotent
                    .jdbc()
                    .update(
                        "INSERT INTO accompaniment_event (consumer_group, message_id, topic, tags,"
                            + " business_key, payload, ready_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        idempotent.consumerGroup(),
                        message.messageId(),
                        message.topic(),
                        message.tags(),
                        message.businessKey(),
                        message.payload(),
                        message.readyAt() == 0 ? null : new Timestamp(message.readyAt())));
    log.info(
        "event {} group={} key={} tags={} message={} attempt={}",
        outcome == IdempotentConsumer.Outcome.APPLIED ? "applied" : "already applied",
        idempotent.consumerGroup(),
        message.businessKey(),
        message.tags(),
        message.messageId(),
        message.attempt());
  }
}
