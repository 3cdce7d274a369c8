package dev.riskstream.job.operators;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.scoring.BatchRun;
import dev.riskstream.job.scoring.InputBatch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.ScoringLane;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * One batch of the scoring operator, from its first row to its emission: the rows with their
 * timestamps, their features in the column order of the model that will score them (and of the
 * model scoring in shadow, when there is one), and, once handed to a lane, the scores and the run
 * that fills them in.
 */
final class RowBatch {

  /** One model's view of the batch: its input columns and the scores it gives. */
  private static final class ModelRun {

    final OnnxModel model;
    final InputBatch input;
    final double[] scores;

    ModelRun(OnnxModel model, int capacity) {
      this.model = model;
      this.input = model.newBatch(capacity);
      this.scores = new double[capacity];
    }

    /** This run's rows laid out again for {@code next}, whose column order may differ. */
    ModelRun relaidFor(OnnxModel next, EnrichedTransaction[] rows) {
      ModelRun relaid = new ModelRun(next, input.capacity());
      for (int i = 0; i < input.size(); i++) {
        relaid.input.add(rows[i].features);
      }
      return relaid;
    }

    CompletableFuture<BatchRun> handTo(ScoringLane lane) {
      return lane.score(model, input, scores);
    }
  }

  private final EnrichedTransaction[] rows;
  private final long[] timestamps;
  private final boolean[] timestamped;
  private ModelRun champion;
  /** Null while no model scores in shadow. */
  private ModelRun shadow;
  private CompletableFuture<BatchRun> scored;

  RowBatch(OnnxModel model, int capacity) {
    this.rows = new EnrichedTransaction[capacity];
    this.timestamps = new long[capacity];
    this.timestamped = new boolean[capacity];
    this.champion = new ModelRun(model, capacity);
  }

  /** Keeps value and timestamp, not the record: upstream operators reuse their StreamRecord objects. */
  void add(StreamRecord<EnrichedTransaction> element) {
    int i = champion.input.size();
    EnrichedTransaction row = element.getValue();
    rows[i] = row;
    timestamped[i] = element.hasTimestamp();
    timestamps[i] = element.getTimestamp();
    champion.input.add(row.features);
    if (shadow != null) {
      shadow.input.add(row.features);
    }
  }

  int size() {
    return champion.input.size();
  }

  boolean isFull() {
    return size() == champion.input.capacity();
  }

  OnnxModel model() {
    return champion.model;
  }

  /** Null while no model scores in shadow. */
  OnnxModel shadowModel() {
    return shadow == null ? null : shadow.model;
  }

  /** Lays the rows out again for {@code next}, which then scores them. */
  void scoreWith(OnnxModel next) {
    if (next != champion.model) {
      champion = champion.relaidFor(next, rows);
    }
  }

  /** Lays the rows out again for {@code next}, which then scores them in shadow; null: none does. */
  void shadowWith(OnnxModel next) {
    if (next == null) {
      shadow = null;
    } else if (shadow == null || next != shadow.model) {
      shadow = champion.relaidFor(next, rows);
    }
  }

  /**
   * Hands the batch to the lanes of its models, the shadow's run after the champion's; until
   * {@link #awaitScores} it must not be touched.
   */
  void handTo(Function<OnnxModel, ScoringLane> laneOf) {
    CompletableFuture<BatchRun> championRun = champion.handTo(laneOf.apply(champion.model));
    if (shadow == null) {
      scored = championRun;
      return;
    }
    // both lanes are looked up here, on the task thread; the shadow's run starts from the champion's
    ModelRun inShadow = shadow;
    ScoringLane shadowLane = laneOf.apply(inShadow.model);
    scored = championRun.thenCompose(run -> inShadow.handTo(shadowLane).thenApply(ignored -> run));
  }

  boolean isScored() {
    return scored.isDone();
  }

  /** Waits for the runs, rethrowing a failure; returns the champion's run. */
  BatchRun awaitScores() throws Exception {
    try {
      return scored.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException wrapped
          ? wrapped.getCause() : e.getCause();
      throw cause instanceof Exception failure ? failure : e;
    }
  }

  /** Runs {@code then} on the lane's thread once the runs end, however they end. */
  void whenScored(Runnable then) {
    scored.whenComplete((nanos, failure) -> then.run());
  }

  /**
   * Stamps score, version, thresholds and {@code provider}, the one that ran the champion, on each row
   * (and the shadow's score, version and thresholds) and emits the rows in arrival order; then empty.
   * A score that is not a probability (NaN, infinite, outside [0, 1]) is stamped as NaN: no score.
   * Returns how many rows the champion gave no score for.
   */
  int emit(Output<StreamRecord<EnrichedTransaction>> output, StreamRecord<EnrichedTransaction> reused,
      String provider) {
    int n = size();
    OnnxModel model = champion.model;
    String version = model.version();
    double review = model.thresholds().review();
    double decline = model.thresholds().decline();
    double[] scores = champion.scores;
    int unscored = 0;
    for (int i = 0; i < n; i++) {
      EnrichedTransaction tx = rows[i];
      rows[i] = null;
      tx.score = probabilityOrNaN(scores[i]);
      if (Double.isNaN(tx.score)) {
        unscored++;
      }
      tx.modelVersion = version;
      tx.reviewThreshold = review;
      tx.declineThreshold = decline;
      tx.executionProvider = provider;
      if (shadow != null) {
        stampShadow(tx, i);
      }
      if (timestamped[i]) {
        reused.replace(tx, timestamps[i]);
      } else {
        reused.replace(tx);
        reused.eraseTimestamp();
      }
      output.collect(reused);
    }
    champion.input.clear();
    if (shadow != null) {
      shadow.input.clear();
    }
    scored = null;
    return unscored;
  }

  private static double probabilityOrNaN(double score) {
    return score >= 0 && score <= 1 ? score : Double.NaN;
  }

  private void stampShadow(EnrichedTransaction tx, int i) {
    tx.shadowVersion = shadow.model.version();
    tx.shadowScore = probabilityOrNaN(shadow.scores[i]);
    tx.shadowReviewThreshold = shadow.model.thresholds().review();
    tx.shadowDeclineThreshold = shadow.model.thresholds().decline();
  }
}
