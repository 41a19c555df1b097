package io.txcenter.tools.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.load.LoadCommand.Outcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One answer against its key's records: which pairs agree, and what a disagreement says. */
class AnswerCheckTest {

  private static final Set<String> ORDER_COMMITTED = Set.of("CONFIRMED");
  private static final Set<String> PAYMENT_COMMITTED = Set.of("PAID", "FAILED");

  private static Answer order(Outcome outcome, String status) {
    return new Answer(Answer.Kind.ORDER, "o-1", outcome, status, null, 2, Outcome.ERROR);
  }

  @Test
  void committed_needsOneRecordInTheStatusAnswered() {
    Answer committed = order(Outcome.COMMITTED, "CONFIRMED");

    assertThat(AnswerCheck.problem(committed, List.of("CONFIRMED"), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(committed, List.of("CANCELLED"), ORDER_COMMITTED))
        .isEqualTo("answered COMMITTED CONFIRMED after 2 attempts, the record is CANCELLED");
    assertThat(AnswerCheck.problem(committed, List.of(), ORDER_COMMITTED))
        .endsWith("no record exists");
    assertThat(AnswerCheck.problem(committed, List.of("CONFIRMED", "CONFIRMED"), ORDER_COMMITTED))
        .endsWith("but 2 records exist [CONFIRMED, CONFIRMED]");
  }

  @Test
  void aPaymentAnsweredPaid_isWrongIfTheRecordFailed() {
    Answer paid =
        new Answer(
            Answer.Kind.PAYMENT, "p-1", Outcome.COMMITTED, "PAID", null, 1, Outcome.COMMITTED);

    assertThat(AnswerCheck.problem(paid, List.of("PAID"), PAYMENT_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(paid, List.of("FAILED"), PAYMENT_COMMITTED))
        .isEqualTo("answered COMMITTED PAID after 1 attempt, the record is FAILED");
  }

  @Test
  void rolledBack_needsOneRecordNotCommitted() {
    Answer cancelled = order(Outcome.ROLLED_BACK, "CANCELLED");

    assertThat(AnswerCheck.problem(cancelled, List.of("CANCELLED"), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(cancelled, List.of("CONFIRMED"), ORDER_COMMITTED))
        .endsWith("the record is CONFIRMED");
    assertThat(AnswerCheck.problem(cancelled, List.of(), ORDER_COMMITTED))
        .endsWith("no record exists");
  }

  @Test
  void refused_allowsNoCommittedRecord() {
    Answer refused =
        new Answer(
            Answer.Kind.ORDER, "o-1", Outcome.REFUSED, null, "QUOTA_EXHAUSTED", 1, Outcome.REFUSED);

    assertThat(AnswerCheck.problem(refused, List.of(), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(refused, List.of("CANCELLED"), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(refused, List.of("CONFIRMED"), ORDER_COMMITTED))
        .isEqualTo("answered REFUSED (QUOTA_EXHAUSTED) after 1 attempt, the record is CONFIRMED");
  }

  @Test
  void error_allowsEitherOutcome_butNotTwoRecords() {
    Answer error = order(Outcome.ERROR, null);

    assertThat(AnswerCheck.problem(error, List.of(), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(error, List.of("CONFIRMED"), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(error, List.of("CANCELLED"), ORDER_COMMITTED)).isNull();
    assertThat(AnswerCheck.problem(error, List.of("CANCELLED", "CONFIRMED"), ORDER_COMMITTED))
        .contains("2 records exist");
  }

  @Test
  void like_takesThePrefixLiterally() {
    assertThat(AnswerCheck.like("load-ab_1%-")).isEqualTo("load-ab\\_1\\%-%");
  }
}
