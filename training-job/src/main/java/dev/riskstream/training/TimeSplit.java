package dev.riskstream.training;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Train on the past, test on the future: rows before {@code cutoff} train, the rest test. A random
 * split would let a card's later transactions teach the model about its earlier ones and overstate
 * how well it does on traffic it has not seen.
 *
 * @param cutoff first event time of the test period
 */
public record TimeSplit(List<FeatureRow> train, List<FeatureRow> test, Instant cutoff) {

  public TimeSplit {
    train = List.copyOf(train);
    test = List.copyOf(test);
  }

  /**
   * Splits at {@code trainFraction} of the span from the earliest to the latest event time.
   *
   * @throws IllegalArgumentException when either side lacks fraud or legitimate rows, since then
   *     the model cannot be trained or its thresholds cannot be chosen
   */
  public static TimeSplit byEventTime(List<FeatureRow> rows, double trainFraction) {
    if (!(0 < trainFraction && trainFraction < 1)) {
      throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to train on");
    }
    long first = rows.stream().mapToLong(FeatureRow::eventTimeMillis).min().orElseThrow();
    long last = rows.stream().mapToLong(FeatureRow::eventTimeMillis).max().orElseThrow();
    long cutoff = first + (long) Math.ceil((last - first) * trainFraction);
    List<FeatureRow> train = new ArrayList<>();
    List<FeatureRow> test = new ArrayList<>();
    for (FeatureRow row : rows) {
      (row.eventTimeMillis() < cutoff ? train : test).add(row);
    }
    requireBothClasses("training", train);
    requireBothClasses("test", test);
    return new TimeSplit(train, test, Instant.ofEpochMilli(cutoff));
  }

  private static void requireBothClasses(String side, List<FeatureRow> rows) {
    long fraud = rows.stream().filter(FeatureRow::fraud).count();
    if (fraud == 0 || fraud == rows.size()) {
      throw new IllegalArgumentException("the " + side + " period has " + rows.size() + " rows of which "
          + fraud + " fraud; both fraud and legitimate transactions are needed");
    }
  }
}
