package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.schemas.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parallel pre-aggregation must give exactly the counts, and so the statistics, of a straightforward
 * offline pass over the same window's transactions: all of them into one accumulator.
 */
class DriftPreAggregatorTest {

  private static final long WINDOW = 60_000;
  private static final int ROWS = 400;
  private static DriftEvaluator offline;
  private static List<EnrichedTransaction> rows;

  @BeforeAll
  static void traffic() throws Exception {
    offline = new DriftEvaluator(ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().reference(),
        DriftThresholds.DEFAULTS);
    Random random = new Random(5);
    rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      float[] features = FeatureSpec.CURRENT.defaults();
      features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.AMOUNT_BASE_LOG)] = (float) (2 + 3 * random.nextDouble());
      features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_24H)] = random.nextInt(5);
      EnrichedTransaction tx = new EnrichedTransaction(TestData.transaction(i)
          .setChannel(i % 3 == 0 ? Channel.ECOM : Channel.POS).build(), features);
      tx.score = random.nextDouble() * 0.3;
      tx.modelVersion = "baseline-1";
      rows.add(tx);
    }
  }

  private static long eventTime(int i) {
    return (i % 2) * WINDOW + i; // rows alternate between two windows
  }

  private static OneInputStreamOperatorTestHarness<EnrichedTransaction, DriftPartial> harness() throws Exception {
    return new OneInputStreamOperatorTestHarness<>(new DriftPreAggregator(
        new ModelMonitors(TestData.BASELINE_BUNDLE, null, DriftThresholds.DEFAULTS), Duration.ofMillis(WINDOW)));
  }

  /** Offline: every row into one accumulator per segment and window. */
  private static Map<String, WindowCounts> offlineCounts() {
    return offlineCounts(tx -> tx.score);
  }

  private static Map<String, WindowCounts> offlineCounts(ToDoubleFunction<EnrichedTransaction> score) {
    Map<String, WindowCounts> counts = new HashMap<>();
    for (int i = 0; i < ROWS; i++) {
      EnrichedTransaction tx = rows.get(i);
      for (String segment : offline.segmenter().keysOf(tx.transaction)) {
        if (offline.hasSegment(segment)) {
          WindowCounts c = counts.computeIfAbsent(segment + "@" + (eventTime(i) / WINDOW) * WINDOW,
              key -> offline.binning().newCounts());
          boolean profileFallback = tx.features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.PROFILE_MISSING)] > 0.5f;
          offline.binning().add(c, tx.features, tx.transaction, score.applyAsDouble(tx), profileFallback);
          c.reconstructionErrorSum += offline.reconstructionError(tx.features);
        }
      }
    }
    return counts;
  }

  /** Equal counts; the sums of reconstruction errors equal but for the order they were added in. */
  private static void assertSameCounts(Map<String, WindowCounts> actual, Map<String, WindowCounts> expected) {
    assertThat(actual).usingRecursiveComparison()
        .withComparatorForType((a, b) -> Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) ? 0 : Double.compare(a, b),
            Double.class)
        .isEqualTo(expected);
    assertThat(expected.get("all@0").reconstructionErrorSum).as("the baseline's joint reference counts").isPositive();
  }

  private static Map<String, WindowCounts> merged(List<DriftPartial> partials) {
    Map<String, WindowCounts> counts = new HashMap<>();
    for (DriftPartial partial : partials) {
      counts.merge(partial.segment + "@" + partial.windowStart, partial.counts.copy(), WindowCounts::merge);
    }
    return counts;
  }

  @Test
  void partialsOfParallelSubtasksMergeToTheOfflineCountsAndStatistics() throws Exception {
    List<DriftPartial> partials = new ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      try (var harness = harness()) {
        harness.open();
        for (int i = subtask; i < ROWS; i += 2) {
          harness.processElement(rows.get(i), eventTime(i));
        }
        assertThat(harness.extractOutputValues()).as("nothing before the watermark").isEmpty();
        harness.processWatermark(new Watermark(2 * WINDOW - 1));
        partials.addAll(harness.extractOutputValues());
        assertThat(harness.getOutput()).last().isEqualTo(new Watermark(2 * WINDOW - 1));
      }
    }

    Map<String, WindowCounts> expected = offlineCounts();
    assertSameCounts(merged(partials), expected);
    assertThat(expected).containsKeys("all@0", "all@" + WINDOW, "channel=ECOM@0");
    // the performance estimate counted beside the bins: one expectation per transaction counted
    Map<String, Long> estimated = new HashMap<>();
    partials.forEach(partial -> estimated.merge(partial.segment + "@" + partial.windowStart, partial.expected.scored(),
        Long::sum));
    expected.forEach((window, counts) -> assertThat(estimated.get(window)).as(window).isEqualTo(counts.events));
    for (var window : expected.entrySet()) {
      String segment = window.getKey().substring(0, window.getKey().indexOf('@'));
      assertThat(offline.evaluate(segment, merged(partials).get(window.getKey())))
          .isEqualTo(offline.evaluate(segment, window.getValue()));
    }
  }

  @Test
  void aVersionInShadowIsCountedApartWithItsOwnScore() throws Exception {
    List<DriftPartial> partials = new ArrayList<>();
    try (var harness = harness()) {
      harness.open();
      for (int i = 0; i < ROWS; i++) {
        EnrichedTransaction tx = new EnrichedTransaction(rows.get(i).transaction, rows.get(i).features);
        tx.score = rows.get(i).score;
        tx.modelVersion = "baseline-1";
        // the same bundle's version in shadow: its reference is at hand, its scores are the mirror image
        tx.shadowVersion = "baseline-1";
        tx.shadowScore = 1 - tx.score;
        harness.processElement(tx, eventTime(i));
      }
      harness.processWatermark(new Watermark(2 * WINDOW - 1));
      partials.addAll(harness.extractOutputValues());
    }

    assertSameCounts(merged(partials.stream().filter(partial -> !partial.shadow).toList()), offlineCounts());
    assertSameCounts(merged(partials.stream().filter(partial -> partial.shadow).toList()),
        offlineCounts(tx -> 1 - tx.score));
    assertThat(partials).filteredOn(partial -> partial.shadow)
        .allSatisfy(partial -> assertThat(partial.mergeKey()).startsWith("shadow|baseline-1|"));
  }

  @Test
  void countsEveryRowOnceAcrossACheckpointAndLeavesLateRowsOut() throws Exception {
    List<DriftPartial> partials = new ArrayList<>();
    OperatorSubtaskState snapshot;
    try (var harness = harness()) {
      harness.open();
      for (int i = 0; i < ROWS / 2; i++) {
        harness.processElement(rows.get(i), eventTime(i));
      }
      harness.prepareSnapshotPreBarrier(1);
      snapshot = harness.snapshot(1, 0);
      partials.addAll(harness.extractOutputValues());
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      for (int i = ROWS / 2; i < ROWS; i++) {
        restored.processElement(rows.get(i), eventTime(i));
      }
      restored.processWatermark(new Watermark(WINDOW - 1));
      restored.processElement(rows.get(0), 5); // its window has gone out
      restored.processWatermark(new Watermark(2 * WINDOW - 1));
      partials.addAll(restored.extractOutputValues());
    }

    assertSameCounts(merged(partials), offlineCounts());
  }
}
