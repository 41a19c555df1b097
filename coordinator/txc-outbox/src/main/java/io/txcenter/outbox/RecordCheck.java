package io.txcenter.outbox;

import io.txcenter.kit.Echo;
import io.txcenter.outbox.api.OutboxCheck;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business check of an outbox whose business key names one record written by the same global
 * transaction as its events, in an earlier branch (an order, a payment, a purchase). No record of
 * that key, or one of another xid, means the transaction never got past that branch's Try, so it
 * cannot have committed: {@code ROLLED_BACK}; otherwise the record's status decides ({@code
 * COMMITTED}, {@code ROLLED_BACK}, or {@code UNKNOWN} while it is still in flight). A question
 * without an xid is about no transaction of that record. Logs each answer with the xid and the key.
 *
 * @param <R> the owner's record
 */
public final class RecordCheck<R> implements OutboxCheck {

  private static final Logger log = LoggerFactory.getLogger(RecordCheck.class);

  private final String keyName;
  private final Function<String, R> find;
  private final Function<R, String> xidOf;
  private final Function<R, CheckOutcome> outcomeOf;

  private RecordCheck(
      String keyName,
      Function<String, R> find,
      Function<R, String> xidOf,
      Function<R, CheckOutcome> outcomeOf) {
    this.keyName = Objects.requireNonNull(keyName, "keyName");
    this.find = Objects.requireNonNull(find, "find");
    this.xidOf = Objects.requireNonNull(xidOf, "xidOf");
    this.outcomeOf = Objects.requireNonNull(outcomeOf, "outcomeOf");
  }

  /**
   * @param keyName the business key's name in the log line ({@code order}, {@code payment})
   * @param find the record of a business key, or {@code null}
   * @param xidOf the xid that wrote a record
   * @param outcomeOf the outcome a record's status says
   */
  public static <R> RecordCheck<R> of(
      String keyName,
      Function<String, R> find,
      Function<R, String> xidOf,
      Function<R, CheckOutcome> outcomeOf) {
    return new RecordCheck<>(keyName, find, xidOf, outcomeOf);
  }

  @Override
  public CheckOutcome check(String topic, String businessKey, String xid) {
    R record = find.apply(businessKey);
    CheckOutcome outcome =
        record == null || xid == null || !xid.equals(xidOf.apply(record))
            ? CheckOutcome.ROLLED_BACK
            : outcomeOf.apply(record);
    log.info(
        "outbox business check xid={} {}={} outcome={}",
        Echo.cut(xid),
        keyName,
        Echo.cut(businessKey),
        outcome);
    return outcome;
  }
}
