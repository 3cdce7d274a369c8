package dev.riskstream.sql.onnx;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * What a predict function's ONNX Runtime runs did, under the {@code onnx} group of its operator:
 * {@code rowsScored}, {@code batches} and the {@code batchSize} histogram, which shows whether
 * micro-batching batches (a mean near 1 in async mode says too few rows are in flight).
 */
final class ScoringMetrics {

  private static final int HISTOGRAM_WINDOW = 1_000;

  private final Counter rows;
  private final Counter batches;
  private final Histogram batchSize;

  private ScoringMetrics(MetricGroup group) {
    rows = group.counter("rowsScored");
    batches = group.counter("batches");
    batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
  }

  static ScoringMetrics register(MetricGroup operator) {
    return new ScoringMetrics(operator.addGroup("onnx"));
  }

  void batch(int size) {
    rows.inc(size);
    batches.inc();
    batchSize.update(size);
  }
}
