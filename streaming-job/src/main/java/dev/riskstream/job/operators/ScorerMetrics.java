package dev.riskstream.job.operators;

import dev.riskstream.job.scoring.BatchRun;
import dev.riskstream.job.scoring.CurrentValueGauges;
import dev.riskstream.job.scoring.ModelSlots;
import dev.riskstream.job.scoring.RowBatch;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.util.LogThrottle;
import dev.riskstream.schemas.ModelStatusKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of {@link OnnxScorer}, in the group {@value #GROUP}: which model scores where, how
 * many rows it scored and how, how batches and their runs went, and what became of announcements.
 * Updated from the task thread only.
 */
final class ScorerMetrics {

  private static final String GROUP = "model";
  /** Key-value groups of the numeric gauges Prometheus gets instead of the web UI's string ones. */
  /** The label of metrics per model version. */
  static final String VERSION_KEY = "model_version";
  private static final String PROVIDER_KEY = "execution_provider";
  private static final String ACTIVE_GAUGE = "active";
  /** Samples the histograms keep: enough for stable percentiles, small enough to compute often. */
  private static final int HISTOGRAM_WINDOW = 1024;
  /** The warning about unscored rows is the scorer's, whichever class counts them. */
  private static final Logger LOG = LoggerFactory.getLogger(OnnxScorer.class);

  private final MetricGroup group;
  private final Counter scored;
  private final Counter unscored;
  private final LogThrottle unscoredWarnings = new LogThrottle(Duration.ofMinutes(1));
  private final Map<String, Counter> scoredByProvider = new HashMap<>();
  private final Counter shadowScored;
  private final Counter activatedUpdates;
  private final Counter rejectedUpdates;
  private final Histogram batchSizes;
  private final Histogram inferenceMicros;
  private final Histogram laneWaitMicros;
  private final CurrentValueGauges versionGauges;
  private final CurrentValueGauges providerGauges;

  ScorerMetrics(MetricGroup operatorGroup, ModelSlots models, ScoringLaneChoice lane) {
    group = operatorGroup.addGroup(GROUP);
    group.gauge("version", () -> models.deciding().version());
    group.gauge("executionProvider", () -> models.deciding().executionProvider());
    group.gauge("scoringLane", () -> lane.resolve(models.deciding().executionProvider()).name());
    group.gauge("shadowVersion", () -> models.shadow() == null ? "none" : models.shadow().version());
    versionGauges = new CurrentValueGauges(group, VERSION_KEY, ACTIVE_GAUGE, () -> models.deciding().version());
    providerGauges = new CurrentValueGauges(group, PROVIDER_KEY, ACTIVE_GAUGE,
        () -> models.deciding().executionProvider());
    scored = group.counter("scored");
    unscored = group.counter("unscored");
    shadowScored = group.counter("shadowScored");
    group.meter("scoredPerSecond", new MeterView(scored));
    activatedUpdates = group.counter("activatedUpdates");
    rejectedUpdates = group.counter("rejectedUpdates");
    batchSizes = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    inferenceMicros = group.histogram("inferenceLatencyUs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    laneWaitMicros = group.histogram("laneWaitUs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
  }

  /** A batch went out: {@code run} scored it, and the task thread waited {@code laneWaitNanos} for it. */
  void emitted(RowBatch.Emitted batch, BatchRun run, long laneWaitNanos) {
    laneWaitMicros.update(laneWaitNanos / 1_000);
    inferenceMicros.update(run.nanos() / 1_000);
    int rows = batch.rows();
    batchSizes.update(rows);
    scored.inc(rows);
    scoredOn(run.executionProvider()).inc(rows);
    if (batch.unscored() > 0) {
      countUnscored(batch);
    }
    if (batch.shadowed()) {
      shadowScored.inc(rows);
    }
  }

  private void countUnscored(RowBatch.Emitted batch) {
    unscored.inc(batch.unscored());
    if (unscoredWarnings.due()) {
      LOG.warn("model {} gave no probability (NaN, infinite, outside [0, 1], or ONNX Runtime refused the row) for {} "
          + "of the {} rows of a batch, {} so far: they go to review with the reason {}", batch.version(),
          batch.unscored(), batch.rows(), unscored.getCount(), DecisionPolicy.NO_MODEL_SCORE);
    }
  }

  /** Rows scored on {@code provider}: with scoring.cuda-min-rows, a model on CUDA scores small runs on the CPU. */
  private Counter scoredOn(String provider) {
    return scoredByProvider.computeIfAbsent(provider, p -> group.addGroup(PROVIDER_KEY, p).counter("scored"));
  }

  /** An announcement was decided; one activated has changed the deciding model. */
  void reported(ModelStatusKind status) {
    if (status == ModelStatusKind.ACTIVATED) {
      activatedUpdates.inc();
      versionGauges.update();
      providerGauges.update();
    } else if (status == ModelStatusKind.REJECTED) {
      rejectedUpdates.inc();
    }
  }
}
