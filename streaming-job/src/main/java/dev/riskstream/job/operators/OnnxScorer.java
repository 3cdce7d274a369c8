package dev.riskstream.job.operators;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.scoring.InputBatch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.SharedModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Scores transactions with the ONNX model of the bundle in micro-batches, and stamps model version
 * and execution provider. Rows are buffered until {@code batchSize} have arrived or the first of
 * them has waited {@code maxWait} of processing time, then scored in one {@code OrtSession.run}.
 *
 * <p>The buffer is emptied before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}), at
 * the end of input ({@link #finish}) and before every watermark, so a checkpoint never covers a row
 * that is not yet emitted (nothing is lost or scored twice on recovery, and no operator state is
 * needed) and no row is emitted behind a watermark that has passed it. The session is shared by the
 * TaskManager's slots ({@link SharedModels}); the input buffer is this subtask's own.
 */
public final class OnnxScorer extends AbstractStreamOperator<EnrichedTransaction>
    implements OneInputStreamOperator<EnrichedTransaction, EnrichedTransaction> {

  static final String METRIC_GROUP = "model";
  /** Samples the histograms keep: enough for stable percentiles, small enough to compute often. */
  private static final int HISTOGRAM_WINDOW = 1024;

  private final String bundleDirectory;
  private final ExecutionProviderChoice executionProvider;
  private final int batchSize;
  private final long maxWaitMillis;

  private transient SharedModels.Lease lease;
  private transient OnnxModel model;
  private transient InputBatch input;
  private transient EnrichedTransaction[] rows;
  private transient long[] timestamps;
  private transient boolean[] timestamped;
  private transient double[] scores;
  private transient StreamRecord<EnrichedTransaction> emitted;
  private transient ScheduledFuture<?> maxWaitTimer;
  private transient Counter scored;
  private transient Histogram batchSizes;
  private transient Histogram inferenceMicros;

  public OnnxScorer(String bundleDirectory, ExecutionProviderChoice executionProvider, int batchSize,
      Duration maxWait) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
    this.bundleDirectory = bundleDirectory;
    this.executionProvider = executionProvider;
    this.batchSize = batchSize;
    this.maxWaitMillis = maxWait.toMillis();
  }

  @Override
  public void open() throws Exception {
    super.open();
    lease = SharedModels.acquire(Path.of(bundleDirectory), executionProvider);
    model = lease.model();
    input = model.newBatch(batchSize);
    rows = new EnrichedTransaction[batchSize];
    timestamps = new long[batchSize];
    timestamped = new boolean[batchSize];
    scores = new double[batchSize];
    emitted = new StreamRecord<>(null);
    var metrics = getMetricGroup().addGroup(METRIC_GROUP);
    metrics.gauge("version", model::version);
    metrics.gauge("executionProvider", model::executionProvider);
    scored = metrics.counter("scored");
    metrics.meter("scoredPerSecond", new MeterView(scored));
    batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    inferenceMicros = metrics.histogram("inferenceLatencyUs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
  }

  @Override
  public void processElement(StreamRecord<EnrichedTransaction> element) throws Exception {
    // keep value and timestamp, not the record: upstream operators reuse their StreamRecord objects
    int i = input.size();
    rows[i] = element.getValue();
    timestamped[i] = element.hasTimestamp();
    timestamps[i] = element.getTimestamp();
    input.add(element.getValue().features);
    if (input.size() == batchSize) {
      flush();
    } else if (maxWaitTimer == null) {
      var time = getProcessingTimeService();
      maxWaitTimer = time.registerTimer(time.getCurrentProcessingTime() + maxWaitMillis, now -> flush());
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  /** Scores and emits the buffered rows, in arrival order. */
  private void flush() throws Exception {
    cancelMaxWaitTimer();
    int n = input.size();
    if (n == 0) {
      return;
    }
    long start = System.nanoTime();
    model.scoreBatch(input, scores);
    inferenceMicros.update((System.nanoTime() - start) / 1_000);
    batchSizes.update(n);
    input.clear();
    for (int i = 0; i < n; i++) {
      EnrichedTransaction tx = rows[i];
      rows[i] = null;
      tx.score = scores[i];
      tx.modelVersion = model.version();
      tx.executionProvider = model.executionProvider();
      if (timestamped[i]) {
        emitted.replace(tx, timestamps[i]);
      } else {
        emitted.replace(tx);
        emitted.eraseTimestamp();
      }
      output.collect(emitted);
    }
    scored.inc(n);
  }

  private void cancelMaxWaitTimer() {
    if (maxWaitTimer != null) {
      maxWaitTimer.cancel(false);
      maxWaitTimer = null;
    }
  }

  @Override
  public void close() throws Exception {
    cancelMaxWaitTimer();
    if (lease != null) {
      lease.close();
    }
    super.close();
  }

  /** The shared model this subtask scores with; null before {@link #open}. For tests. */
  OnnxModel model() {
    return model;
  }
}
