package io.txcenter.tools.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.tools.topology.CliException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load generator's options: defaults, and bad values refused naming the option. */
class LoadPlanTest {

  @Test
  void givenNoOptions_plan_isBoundedByDefault() {
    LoadCommand.Plan plan = LoadCommand.Plan.from(Map.of());

    assertThat(plan).isEqualTo(new LoadCommand.Plan(200, 50, 20, 4, 0, 0.1, 1, 300, 6));
    assertThat(new LoadCommand.Plan(200, 50, 20, 4, 0, 0.1, 1, 300)).isEqualTo(plan);
  }

  @Test
  void givenOptions_plan_readsThem() {
    LoadCommand.Plan plan =
        LoadCommand.Plan.from(
            Map.of(
                "orders", "10",
                "payments", "0",
                "purchases", "3",
                "concurrency", "16",
                "rate", "25.5",
                "fail-share", "0.3",
                "seed", "7",
                "max-seconds", "60",
                "retries", "0"));

    assertThat(plan).isEqualTo(new LoadCommand.Plan(10, 0, 3, 16, 25.5, 0.3, 7, 60, 0));
  }

  @Test
  void givenBadOptions_plan_isRefusedNamingTheOption() {
    assertRefused(Map.of("orders", "-1"), "--orders");
    assertRefused(Map.of("orders", "0", "payments", "0", "purchases", "0"), "--orders");
    assertRefused(Map.of("purchases", "-1"), "--purchases");
    assertRefused(Map.of("concurrency", "0"), "--concurrency");
    assertRefused(Map.of("concurrency", "257"), "--concurrency");
    assertRefused(Map.of("fail-share", "1.5"), "--fail-share");
    assertRefused(Map.of("rate", "fast"), "--rate");
    assertRefused(Map.of("max-seconds", "0"), "--max-seconds");
    assertRefused(Map.of("retries", "-1"), "--retries");
    assertRefused(Map.of("retries", "101"), "--retries");
  }

  private static void assertRefused(Map<String, String> options, String named) {
    assertThatThrownBy(() -> LoadCommand.Plan.from(options))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(named);
  }
}
