package dev.riskstream.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class CanaryShareTest {

  private static final List<String> CARDS = IntStream.range(0, 100_000).mapToObj(i -> "card-" + i).toList();

  @Test
  void decidesItsShareOfCardsTheSameWayWhereverItRuns() throws Exception {
    CanaryShare canary = new CanaryShare(0.05);
    CanaryShare shipped = InstantiationUtil.clone(canary);

    List<String> decided = CARDS.stream().filter(card -> canary.decides("retrained-7", card)).toList();
    // 5,000 expected; the binomial standard deviation is 69
    assertThat(decided).hasSizeBetween(4_700, 5_300);
    assertThat(CARDS.stream().filter(card -> shipped.decides("retrained-7", card)).toList())
        .as("a copy in another task decides the same cards").isEqualTo(decided);
    // pinned: a release that hashed otherwise would move cards between the models of a rollout that
    // spans its upgrade
    assertThat(decided).hasSize(4_977);
  }

  @Test
  void eachRolloutDrawsItsOwnCards() {
    CanaryShare canary = new CanaryShare(0.05);
    long both = CARDS.stream()
        .filter(card -> canary.decides("retrained-7", card) && canary.decides("retrained-8", card)).count();
    // independent draws share 0.05 * 0.05 of the cards: 250
    assertThat(both).isBetween(150L, 350L);
  }

  @Test
  void aShareLiesStrictlyBetweenNoneAndAll() {
    assertThatThrownBy(() -> new CanaryShare(0)).hasMessageContaining("strictly between 0 and 1");
    assertThatThrownBy(() -> new CanaryShare(1)).hasMessageContaining("strictly between 0 and 1");
  }
}
