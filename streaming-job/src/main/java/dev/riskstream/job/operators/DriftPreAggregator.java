package dev.riskstream.job.operators;

import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.features.estimation.ExpectedCounts;
import dev.riskstream.features.estimation.PerformanceEstimator;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.monitoring.ModelMonitors;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The first, parallel half of drift monitoring and performance estimation: counts each scored
 * transaction into the reference bins of the model version that scored it (and of the version that
 * scored it in shadow, with its own score), and into that version's expected performance counts,
 * per segment and event-time window, in this subtask's memory, and emits the counts as {@link DriftPartial}s when the watermark passes the window's end.
 * The keyed window after it only merges a few partials per window, so the cost of monitoring
 * grows with the number of segments and windows, not with traffic.
 *
 * <p>Chained to the scorer, it sees rows without serialization. Open counts are emitted before
 * every checkpoint barrier and at the end of input, never kept in state: the window downstream
 * merges them with the rest, so nothing is lost or counted twice on recovery. A transaction behind
 * the watermark (its window already emitted) is counted in {@value #LATE} and left out; one scored
 * by a version without a reference profile in {@value #UNMONITORED}.
 */
public final class DriftPreAggregator extends AbstractStreamOperator<DriftPartial>
    implements OneInputStreamOperator<EnrichedTransaction, DriftPartial> {

  static final String LATE = "lateForDrift";
  static final String UNMONITORED = "unmonitored";
  private static final int PROFILE_MISSING_AT = FeatureSpec.CURRENT.requireIndex(FeatureSpec.PROFILE_MISSING);

  private record Key(long windowStart, String modelVersion, boolean shadow, String segment) {}

  private final ModelMonitors monitors;
  private final long windowMillis;

  /** A window's counts of one segment, one version. */
  private record Open(WindowCounts counts, ExpectedCounts expected) {}

  private transient Map<Key, Open> open;
  private transient long currentWatermark;
  private transient Counter late;
  private transient Counter unmonitored;

  public DriftPreAggregator(ModelMonitors monitors, Duration window) {
    this.monitors = monitors;
    this.windowMillis = window.toMillis();
  }

  @Override
  public void open() throws Exception {
    super.open();
    open = new HashMap<>();
    currentWatermark = Long.MIN_VALUE;
    var metrics = getMetricGroup().addGroup("monitoring");
    late = metrics.counter(LATE);
    unmonitored = metrics.counter(UNMONITORED);
  }

  @Override
  public void processElement(StreamRecord<EnrichedTransaction> element) {
    EnrichedTransaction tx = element.getValue();
    long windowStart = element.getTimestamp() - Math.floorMod(element.getTimestamp(), windowMillis);
    if (windowStart + windowMillis - 1 <= currentWatermark) {
      late.inc();
      return;
    }
    boolean profileFallback = tx.features[PROFILE_MISSING_AT] > 0.5f;
    count(tx, windowStart, tx.modelVersion, false, tx.score, profileFallback);
    if (tx.shadowVersion != null) {
      count(tx, windowStart, tx.shadowVersion, true, tx.shadowScore, profileFallback);
    }
  }

  private void count(EnrichedTransaction tx, long windowStart, String version, boolean shadow, double score,
      boolean profileFallback) {
    Optional<DriftEvaluator> evaluator = monitors.evaluatorOf(version);
    if (evaluator.isEmpty()) {
      unmonitored.inc();
      return;
    }
    Optional<PerformanceEstimator> estimator = monitors.estimatorOf(version);
    double reconstructionError = evaluator.get().reconstructionError(tx.features);
    for (String segment : evaluator.get().segmentsOf(tx.transaction)) {
      Open counts = open.computeIfAbsent(new Key(windowStart, version, shadow, segment),
          key -> new Open(evaluator.get().binning().newCounts(),
              estimator.map(PerformanceEstimator::newCounts).orElse(null)));
      evaluator.get().binning().add(counts.counts(), tx.features, tx.transaction, score, profileFallback);
      counts.counts().reconstructionErrorSum += reconstructionError;
      if (estimator.isPresent()) {
        estimator.get().add(counts.expected(), score);
      }
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    currentWatermark = mark.getTimestamp();
    emitWindowsEndingBy(mark.getTimestamp());
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    emitWindowsEndingBy(Long.MAX_VALUE);
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    emitWindowsEndingBy(Long.MAX_VALUE);
    super.finish();
  }

  /** Emits, stamped with its window's last millisecond, the counts of every window ending by {@code time}. */
  private void emitWindowsEndingBy(long time) {
    Iterator<Map.Entry<Key, Open>> entries = open.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<Key, Open> entry = entries.next();
      Key key = entry.getKey();
      long lastMillisecond = key.windowStart() + windowMillis - 1;
      if (lastMillisecond <= time) {
        output.collect(new StreamRecord<>(
            new DriftPartial(key.modelVersion(), key.shadow(), key.segment(), key.windowStart(),
                entry.getValue().counts(), entry.getValue().expected()),
            lastMillisecond));
        entries.remove();
      }
    }
  }
}
