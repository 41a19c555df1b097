package io.txcenter.tools.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.txcenter.tools.load.LoadCommand.Attempt;
import io.txcenter.tools.load.LoadCommand.Outcome;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** One request of the load client, sent again while its outcome is open, and its answer. */
class SenderTest {

  private static final Attempt TIMEOUT = Attempt.open("RpcException");
  private static final Attempt TRYING = new Attempt(Outcome.ERROR, "TRYING", "TRYING", true);
  private static final Attempt CONFIRMED = new Attempt(Outcome.COMMITTED, "CONFIRMED", null, false);

  @Test
  void givenATimeoutThenTrying_theSameRequestIsSentAgain_untilItsOutcome() {
    LoadCommand.Summary summary = new LoadCommand.Summary();
    Scripted request = new Scripted(TIMEOUT, TRYING, CONFIRMED);

    Answer answer =
        new LoadCommand.Sender(summary, 6).send(Answer.Kind.ORDER, "o-1", new Random(1), request);

    assertThat(request.calls).isEqualTo(3);
    assertThat(answer)
        .isEqualTo(
            new Answer(
                Answer.Kind.ORDER, "o-1", Outcome.COMMITTED, "CONFIRMED", null, 3, Outcome.ERROR));
    assertThat(answer.changedByRetry()).isTrue();
    assertThat(summary.answers()).containsExactly(answer);
    assertThat(summary.retries.sum()).isEqualTo(2);
    assertThat(summary.retriedOn.keySet()).containsExactlyInAnyOrder("RpcException", "TRYING");
    assertThat(summary.count(Outcome.COMMITTED)).isEqualTo(1);
    assertThat(summary.line())
        .startsWith("load: sent=0 committed=1 rolled_back=0 refused=0 errors=0 p50=")
        .endsWith(" retries=2 retried_keys=1 changed=1");
  }

  @Test
  void givenAFinalAnswer_nothingIsSentAgain() {
    LoadCommand.Summary summary = new LoadCommand.Summary();
    Scripted request = new Scripted(Attempt.refused("INSUFFICIENT_POINTS"));

    Answer answer =
        new LoadCommand.Sender(summary, 6).send(Answer.Kind.ORDER, "o-2", new Random(1), request);

    assertThat(request.calls).isEqualTo(1);
    assertThat(answer.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(answer.retried()).isFalse();
    assertThat(summary.retries.sum()).isZero();
  }

  @Test
  void givenRetriesExhausted_theAnswerIsAnError_withTheLastCode() {
    LoadCommand.Summary summary = new LoadCommand.Summary();
    Scripted request = new Scripted(TIMEOUT, TIMEOUT, Attempt.open("SERVICE_UNAVAILABLE"));

    Answer answer =
        new LoadCommand.Sender(summary, 2).send(Answer.Kind.PAYMENT, "p-1", new Random(1), request);

    assertThat(request.calls).isEqualTo(3);
    assertThat(answer.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(answer.code()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(answer.attempts()).isEqualTo(3);
    assertThat(answer.changedByRetry()).isFalse();
    assertThat(summary.codes.keySet()).containsExactly("SERVICE_UNAVAILABLE");
  }

  @Test
  void givenRetriesOff_anOpenAnswerIsAnErrorAtOnce() {
    LoadCommand.Summary summary = new LoadCommand.Summary();
    Scripted request = new Scripted(TRYING, CONFIRMED);

    Answer answer =
        new LoadCommand.Sender(summary, 0).send(Answer.Kind.ORDER, "o-3", new Random(1), request);

    assertThat(request.calls).isEqualTo(1);
    assertThat(answer.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(answer.status()).isEqualTo("TRYING");
  }

  @Test
  void givenTheRunsBoundPassed_noRetryStarts() {
    LoadCommand.Summary summary = new LoadCommand.Summary();
    LoadCommand.Sender sender = new LoadCommand.Sender(summary, 6);
    sender.bound = System.nanoTime();
    Scripted request = new Scripted(TIMEOUT, CONFIRMED);

    Answer answer = sender.send(Answer.Kind.PURCHASE, "f-1", new Random(1), request);

    assertThat(request.calls).isEqualTo(1);
    assertThat(answer.outcome()).isEqualTo(Outcome.ERROR);
  }

  @Test
  void aKeySentButNotAnswered_isInFlight() {
    LoadCommand.Summary summary = new LoadCommand.Summary();
    LoadCommand.Sender sender = new LoadCommand.Sender(summary, 0);
    Answer[] seen = new Answer[1];

    sender.send(
        Answer.Kind.ORDER,
        "o-4",
        new Random(1),
        () -> {
          seen[0] = summary.answers().get(0);
          return CONFIRMED;
        });

    assertThat(seen[0].outcome()).isEqualTo(Outcome.ERROR);
    assertThat(seen[0].code()).isEqualTo("IN_FLIGHT");
    assertThat(summary.answers()).extracting(Answer::outcome).containsExactly(Outcome.COMMITTED);
  }

  /** A request that answers the given attempts in turn. */
  private static final class Scripted implements Supplier<Attempt> {
    private final Deque<Attempt> attempts;
    int calls;

    Scripted(Attempt... attempts) {
      this.attempts = new ArrayDeque<>(List.of(attempts));
    }

    @Override
    public Attempt get() {
      calls++;
      return attempts.size() > 1 ? attempts.poll() : attempts.peek();
    }
  }
}
