package dev.riskstream.job.operators;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.scoring.InputBatch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.ScoringLane;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * One batch of the scoring operator, from its first row to its emission: the rows with their
 * timestamps, their features in the column order of the model that will score them, and, once
 * handed to a lane, the scores and the run that fills them in.
 */
final class RowBatch {

  private final EnrichedTransaction[] rows;
  private final long[] timestamps;
  private final boolean[] timestamped;
  private final double[] scores;
  private InputBatch input;
  private OnnxModel model;
  private CompletableFuture<Long> scored;

  RowBatch(OnnxModel model, int capacity) {
    this.rows = new EnrichedTransaction[capacity];
    this.timestamps = new long[capacity];
    this.timestamped = new boolean[capacity];
    this.scores = new double[capacity];
    this.input = model.newBatch(capacity);
    this.model = model;
  }

  /** Keeps value and timestamp, not the record: upstream operators reuse their StreamRecord objects. */
  void add(StreamRecord<EnrichedTransaction> element) {
    int i = input.size();
    EnrichedTransaction row = element.getValue();
    rows[i] = row;
    timestamped[i] = element.hasTimestamp();
    timestamps[i] = element.getTimestamp();
    input.add(row.features);
  }

  int size() {
    return input.size();
  }

  boolean isFull() {
    return input.size() == input.capacity();
  }

  OnnxModel model() {
    return model;
  }

  /** Lays the rows out again for {@code next}, whose column order may differ, which then scores them. */
  void scoreWith(OnnxModel next) {
    if (next == model) {
      return;
    }
    InputBatch relaid = next.newBatch(input.capacity());
    for (int i = 0; i < input.size(); i++) {
      relaid.add(rows[i].features);
    }
    input = relaid;
    model = next;
  }

  /** Hands the batch to {@code lane}; until {@link #awaitScores} it must not be touched. */
  void handTo(ScoringLane lane) {
    scored = lane.score(model, input, scores);
  }

  boolean isScored() {
    return scored.isDone();
  }

  /** Waits for the run, rethrowing its failure; returns the nanoseconds it took. */
  long awaitScores() throws Exception {
    try {
      return scored.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Runs {@code then} on the lane's thread once the run ends, however it ends. */
  void whenScored(Runnable then) {
    scored.whenComplete((nanos, failure) -> then.run());
  }

  /** Stamps score, version, thresholds and provider on each row and emits the rows in arrival order; then empty. */
  void emit(Output<StreamRecord<EnrichedTransaction>> output, StreamRecord<EnrichedTransaction> reused) {
    int n = input.size();
    String version = model.version();
    double review = model.thresholds().review();
    double decline = model.thresholds().decline();
    String provider = model.executionProvider();
    for (int i = 0; i < n; i++) {
      EnrichedTransaction tx = rows[i];
      rows[i] = null;
      tx.score = scores[i];
      tx.modelVersion = version;
      tx.reviewThreshold = review;
      tx.declineThreshold = decline;
      tx.executionProvider = provider;
      if (timestamped[i]) {
        reused.replace(tx, timestamps[i]);
      } else {
        reused.replace(tx);
        reused.eraseTimestamp();
      }
      output.collect(reused);
    }
    input.clear();
    scored = null;
  }
}
