package dev.riskstream.job.scoring;

import dev.riskstream.job.EnrichedTransaction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * One batch of the scoring operator, from its first row to its emission: the rows with their
 * timestamps, laid out for the model that will score them (and for the model scoring in shadow, when
 * there is one) in an {@link InputBatch} each, and, once handed to a lane, the run that scores them.
 * Reused batch after batch: its input buffers are allocated again only when a model takes over.
 */
public final class RowBatch {

  /** What {@link #emit} sent on. */
  public record Emitted(String version, int rows, int unscored, boolean shadowed) {}

  private final EnrichedTransaction[] rows;
  private final long[] timestamps;
  private final boolean[] timestamped;
  private InputBatch champion;
  /** Null while no model scores in shadow. */
  private InputBatch shadow;
  private CompletableFuture<BatchRun> scored;

  /** @param shadowModel null while no model scores in shadow */
  public RowBatch(OnnxModel model, OnnxModel shadowModel, int capacity) {
    this.rows = new EnrichedTransaction[capacity];
    this.timestamps = new long[capacity];
    this.timestamped = new boolean[capacity];
    this.champion = model.newBatch(capacity);
    this.shadow = shadowModel == null ? null : shadowModel.newBatch(capacity);
  }

  /** Keeps value and timestamp, not the record: upstream operators reuse their StreamRecord objects. */
  public void add(StreamRecord<EnrichedTransaction> element) {
    int i = champion.size();
    EnrichedTransaction row = element.getValue();
    rows[i] = row;
    timestamped[i] = element.hasTimestamp();
    timestamps[i] = element.getTimestamp();
    champion.add(row.features);
    if (shadow != null) {
      shadow.add(row.features);
    }
  }

  public int size() {
    return champion.size();
  }

  public boolean isFull() {
    return size() == champion.capacity();
  }

  /**
   * Lays the rows out again for models that have taken over: {@code model} then scores them, and
   * {@code shadowModel} in shadow (null: none does).
   */
  public void scoreWith(OnnxModel model, OnnxModel shadowModel) {
    if (model != champion.model()) {
      champion = relaidFor(model);
    }
    if (shadowModel == null) {
      shadow = null;
    } else if (shadow == null || shadowModel != shadow.model()) {
      shadow = relaidFor(shadowModel);
    }
  }

  /** The rows laid out for {@code next}, whose column order may differ. */
  private InputBatch relaidFor(OnnxModel next) {
    InputBatch relaid = next.newBatch(champion.capacity());
    for (int i = 0; i < champion.size(); i++) {
      relaid.add(rows[i].features);
    }
    return relaid;
  }

  /**
   * Hands the batch to the lanes of its models, the shadow's run after the champion's; until
   * {@link #awaitScores} it must not be touched.
   */
  public void handTo(Function<OnnxModel, ScoringLane> laneOf) {
    CompletableFuture<BatchRun> championRun = laneOf.apply(champion.model()).score(champion);
    if (shadow == null) {
      scored = championRun;
      return;
    }
    // both lanes are looked up here, on the task thread; the shadow's run starts from the champion's
    InputBatch inShadow = shadow;
    ScoringLane shadowLane = laneOf.apply(inShadow.model());
    scored = championRun.thenCompose(run -> shadowLane.score(inShadow).thenApply(ignored -> run));
  }

  public boolean isScored() {
    return scored.isDone();
  }

  /** Waits for the runs, rethrowing a failure; returns the champion's run. */
  public BatchRun awaitScores() throws Exception {
    try {
      return scored.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException wrapped ? wrapped.getCause() : e.getCause();
      throw cause instanceof Exception failure ? failure : e;
    }
  }

  /** Runs {@code then} on the lane's thread once the runs end, however they end. */
  public void whenScored(Runnable then) {
    scored.whenComplete((nanos, failure) -> then.run());
  }

  /**
   * Stamps score, version, thresholds and {@code provider}, the one that ran the champion, on each row
   * (and the shadow's score, version and thresholds) and emits the rows in arrival order; then empty.
   * A score that is not a probability (NaN, infinite, outside [0, 1]) is stamped as NaN: no score.
   * Under a canary rollout the shadow decides the rows of its cards: on those it is the deciding
   * version and the row has no shadow, as the champion's score beside it is no would-be decision of a
   * version in shadow (monitoring and the rollout judge the candidate in shadow on the other cards).
   *
   * @param canary the cards a model in shadow decides; null: none
   */
  public Emitted emit(Output<StreamRecord<EnrichedTransaction>> output, StreamRecord<EnrichedTransaction> reused,
      String provider, CanaryShare canary) {
    int n = size();
    OnnxModel model = champion.model();
    String version = model.version();
    double review = model.thresholds().review();
    double decline = model.thresholds().decline();
    int unscored = 0;
    for (int i = 0; i < n; i++) {
      EnrichedTransaction tx = rows[i];
      rows[i] = null;
      tx.score = probabilityOrNaN(champion.score(i));
      if (Double.isNaN(tx.score)) {
        unscored++;
      }
      tx.modelVersion = version;
      tx.reviewThreshold = review;
      tx.declineThreshold = decline;
      tx.executionProvider = provider;
      if (shadow != null) {
        stampShadow(tx, i);
        if (canary != null && canary.decides(tx.shadowVersion, tx.transaction.getCardNumber())) {
          decideByShadow(tx);
        }
      }
      if (timestamped[i]) {
        reused.replace(tx, timestamps[i]);
      } else {
        reused.replace(tx);
        reused.eraseTimestamp();
      }
      output.collect(reused);
    }
    champion.clear();
    if (shadow != null) {
      shadow.clear();
    }
    scored = null;
    return new Emitted(version, n, unscored, shadow != null);
  }

  private static double probabilityOrNaN(double score) {
    return score >= 0 && score <= 1 ? score : Double.NaN;
  }

  private static void decideByShadow(EnrichedTransaction tx) {
    tx.modelVersion = tx.shadowVersion;
    tx.score = tx.shadowScore;
    tx.reviewThreshold = tx.shadowReviewThreshold;
    tx.declineThreshold = tx.shadowDeclineThreshold;
    tx.shadowVersion = null;
    tx.shadowScore = 0;
    tx.shadowReviewThreshold = 0;
    tx.shadowDeclineThreshold = 0;
  }

  private void stampShadow(EnrichedTransaction tx, int i) {
    OnnxModel model = shadow.model();
    tx.shadowVersion = model.version();
    tx.shadowScore = probabilityOrNaN(shadow.score(i));
    tx.shadowReviewThreshold = model.thresholds().review();
    tx.shadowDeclineThreshold = model.thresholds().decline();
  }
}
