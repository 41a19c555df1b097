package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.txcenter.tools.load.Answer;
import io.txcenter.tools.load.AnswerCheck;
import io.txcenter.tools.load.LoadCommand;
import io.txcenter.tools.load.LoadCommand.Outcome;
import io.txcenter.tools.topology.Topology;
import io.txcenter.tools.topology.TopologyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The load client retries like a real caller: with the mall down, every order fails with an RPC
 * error and is sent again, with the same order number, until the mall is back; then every answer
 * the client got agrees with the databases, and a forged answer does not.
 */
@ExtendWith(SharedTopology.class)
class LoadRetryIT {

  private static final int ORDERS = 6;
  private static final int PAYMENTS = 2;
  private static final int PURCHASES = 2;

  @Test
  void givenTheMallDown_ordersAreRetriedWithTheirKeys_andEveryAnswerAgreesWithTheDatabases()
      throws Exception {
    Topology topology = SharedTopology.get().topology();
    TopologyConfig config = SharedTopology.get().config();
    ProcessHandle mall = topology.running("mall").orElseThrow();
    mall.destroyForcibly();
    mall.onExit().get(30, TimeUnit.SECONDS);
    // nothing built to fail; 12 retries wait up to about 36 s in all for the mall to come back
    LoadCommand.Plan plan = new LoadCommand.Plan(ORDERS, PAYMENTS, PURCHASES, 2, 0, 0, 11, 120, 12);
    LoadCommand.Summary summary = new LoadCommand.Summary();
    CompletableFuture<LoadCommand.Summary> load =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new LoadCommand(config, System.out).drive(plan, summary);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> summary.retriedOn.containsKey("RpcException") || load.isDone());
    } finally {
      topology.restart("mall", System.out);
    }
    LoadCommand.Summary done = load.get(180, TimeUnit.SECONDS);
    System.out.println(done.line());

    assertThat(done.count(Outcome.COMMITTED)).isEqualTo(ORDERS + PAYMENTS + PURCHASES);
    assertThat(done.count(Outcome.ERROR)).isZero();
    assertThat(done.retries.sum()).isPositive();
    assertThat(done.retriedOn).containsKey("RpcException");
    List<Answer> orders =
        done.answers().stream().filter(a -> a.kind() == Answer.Kind.ORDER).toList();
    assertThat(orders).hasSize(ORDERS).allMatch(a -> a.outcome() == Outcome.COMMITTED);
    assertThat(orders).anyMatch(Answer::changedByRetry);
    assertThat(done.line()).contains(" retried_keys=" + done.retriedKeys() + " changed=");
    assertThat(done.answerViolations(config)).isEmpty();

    // a confirmed order the client was told was rolled back, and a key whose answer is missing
    Answer confirmed = orders.stream().filter(Answer::retried).findFirst().orElseThrow();
    List<Answer> forged = new ArrayList<>(done.answers());
    forged.remove(confirmed);
    forged.add(
        new Answer(
            confirmed.kind(),
            confirmed.key(),
            Outcome.ROLLED_BACK,
            "CANCELLED",
            null,
            confirmed.attempts(),
            confirmed.first()));
    Answer unanswered = orders.stream().filter(a -> a != confirmed).findFirst().orElseThrow();
    forged.remove(unanswered);

    assertThat(AnswerCheck.violations(config, done.keyPrefix(), forged))
        .containsExactlyInAnyOrder(
            "order "
                + confirmed.key()
                + ": answered ROLLED_BACK CANCELLED after "
                + confirmed.attempts()
                + " attempts, the record is CONFIRMED",
            "order " + unanswered.key() + ": has a record but the client never sent it");
  }
}
