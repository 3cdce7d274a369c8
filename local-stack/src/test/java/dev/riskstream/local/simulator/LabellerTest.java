package dev.riskstream.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.schemas.FraudLabel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabellerTest {

  private static final Duration DELAY = Duration.ofHours(1);
  private static final List<SimulatedTransaction> STREAM =
      TransactionSimulator.builder().seed(3).build().stream(20_000).toList();

  private static List<Optional<FraudLabel>> labels(long seed) {
    Labeller labeller = new Labeller(seed, DELAY);
    return STREAM.stream().map(labeller::label).toList();
  }

  @Test
  void labelsTellTheTruthLaterAndSomeNeverCome() {
    List<Optional<FraudLabel>> labels = labels(1);

    long missing = labels.stream().filter(Optional::isEmpty).count();
    assertThat(missing / (double) STREAM.size()).isCloseTo(Labeller.NEVER_PERCENT / 100.0, within(0.01));
    long stragglers = 0;
    for (int i = 0; i < STREAM.size(); i++) {
      if (labels.get(i).isEmpty()) {
        continue;
      }
      FraudLabel label = labels.get(i).get();
      SimulatedTransaction simulated = STREAM.get(i);
      assertThat(label.getTransactionId()).isEqualTo(simulated.transaction().getTransactionId());
      assertThat(label.getIsFraud()).isEqualTo(simulated.fraud());
      Duration delay = Duration.between(simulated.transaction().getEventTime(), label.getLabelledAt());
      assertThat(delay).isBetween(DELAY.dividedBy(2), DELAY.multipliedBy(5));
      stragglers += delay.compareTo(DELAY.multipliedBy(3)) >= 0 ? 1 : 0;
    }
    assertThat(stragglers / (double) STREAM.size()).isCloseTo(Labeller.STRAGGLER_PERCENT / 100.0, within(0.005));
  }

  @Test
  void theSameSeedGivesTheSameLabels() {
    assertThat(labels(1)).isEqualTo(labels(1)).isNotEqualTo(labels(2));
  }
}
