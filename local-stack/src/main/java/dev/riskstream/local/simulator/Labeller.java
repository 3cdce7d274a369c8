package dev.riskstream.local.simulator;

import dev.riskstream.schemas.FraudLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The truth about simulated transactions as it reaches a bank: later, and not always. Of every 100
 * transactions, {@value #ON_TIME_PERCENT} are labelled between half and one and a half times the
 * typical delay after their event time, {@value #STRAGGLER_PERCENT} are stragglers labelled three to
 * five times the typical delay later, and {@value #NEVER_PERCENT} are never labelled (fraud nobody
 * disputed, records lost). Frauds come as chargebacks, legitimate transactions as undisputed ones.
 * The same seed gives the same labels.
 */
public final class Labeller {

  static final int ON_TIME_PERCENT = 93;
  static final int STRAGGLER_PERCENT = 2;
  static final int NEVER_PERCENT = 5;

  private final Dice dice;
  private final long typicalDelayMillis;

  public Labeller(long seed, Duration typicalDelay) {
    if (typicalDelay.isNegative() || typicalDelay.isZero()) {
      throw new IllegalArgumentException("typicalDelay must be positive: " + typicalDelay);
    }
    this.dice = new Dice(seed);
    this.typicalDelayMillis = typicalDelay.toMillis();
  }

  /** The transaction's label, its labelledAt in the simulator's event time; empty: it never comes. */
  public Optional<FraudLabel> label(SimulatedTransaction simulated) {
    int fate = dice.below(100);
    if (fate >= ON_TIME_PERCENT + STRAGGLER_PERCENT) {
      return Optional.empty();
    }
    double delayFactor = fate < ON_TIME_PERCENT ? dice.uniform(0.5, 1.5) : dice.uniform(3, 5);
    Instant labelledAt = simulated.transaction().getEventTime().plusMillis((long) (typicalDelayMillis * delayFactor));
    return Optional.of(new FraudLabel(simulated.transaction().getTransactionId(), simulated.fraud(), labelledAt,
        simulated.fraud() ? "chargeback" : "undisputed"));
  }
}
