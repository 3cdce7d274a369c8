package dev.riskstream.local.cli;

import dev.riskstream.job.LabelSettings;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.FraudLabel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Per model version, the decisions of the transactions from the drift on and their realised ROC AUC,
 * counted as decisions and labels come: each decision is joined with its label, whichever comes
 * first waiting for the other. At the demo's rates labels mostly come first (the simulator writes one
 * as soon as its simulated time has come, the job's decisions appear with its next checkpoint), and
 * one transaction in twenty is never labelled.
 *
 * <p>Memory stays bounded however long the run: at most {@link Bounds#decisions()} decisions wait for
 * their labels and {@link Bounds#labels()} labels for their decisions, the oldest leaving first when
 * more come, and the ROC AUC is binned ({@link BinnedRocAuc}). A label that comes after its decision
 * has left is ranked nowhere, like one that never comes, and leaves in its turn.
 *
 * <p>Decisions and labels come from one thread, the results are read from another.
 */
final class PostDriftPerformance {

  /**
   * How many decisions and labels may wait for each other.
   *
   * @param decisions decisions waiting for labels
   * @param labels labels waiting for decisions
   */
  record Bounds(int decisions, int labels) {

    /**
     * Labels waiting for decisions that trail the feed by up to a minute at the demo's default rate
     * of 2,000 transactions a second; a job further behind loses its oldest labels from the AUC.
     */
    static final int LABELS_AWAITING_DECISIONS = 120_000;

    /**
     * As long as the job's own join lets decisions wait for their labels, its labels TTL of simulated
     * time (six typical label delays, the simulator's latest labels coming after five), in the
     * simulator's transactions: 2,160 with the demo's default delay of an hour. Without labels nothing
     * waits.
     */
    static Bounds of(Optional<LabelSettings> labels) {
      return labels.map(settings -> new Bounds(
              (int) settings.ttl().dividedBy(TransactionSimulator.DEFAULT_MEAN_INTER_ARRIVAL),
              LABELS_AWAITING_DECISIONS))
          .orElse(new Bounds(0, 0));
    }
  }

  private record Decided(String modelVersion, double score, boolean postDrift) {}

  private final Supplier<Optional<Instant>> driftStartedAt;
  private final Map<String, Decided> awaitingLabels;
  private final Map<String, Boolean> awaitingDecisions;
  private final Map<String, Long> decisions = new TreeMap<>();
  private final Map<String, BinnedRocAuc> rocAuc = new TreeMap<>();

  /** @param driftStartedAt when the traffic drifted, in event time; empty while it has not */
  PostDriftPerformance(Supplier<Optional<Instant>> driftStartedAt, Bounds bounds) {
    this.driftStartedAt = driftStartedAt;
    this.awaitingLabels = oldestLeavingBeyond(bounds.decisions());
    this.awaitingDecisions = oldestLeavingBeyond(bounds.labels());
  }

  /**
   * A decision is post-drift when its transaction's event time is at or after the drift's start as
   * known when the decision comes: the simulator's event time never decreases, and a decision comes
   * after its transaction was sent, so the start is known by then.
   */
  synchronized void decided(Decision decision) {
    Optional<Instant> from = driftStartedAt.get();
    boolean postDrift = from.isPresent() && !decision.getEventTime().isBefore(from.get());
    if (postDrift) {
      decisions.merge(decision.getModelVersion(), 1L, Long::sum);
    }
    Decided decided = new Decided(decision.getModelVersion(), decision.getScore(), postDrift);
    Boolean fraud = awaitingDecisions.remove(decision.getTransactionId());
    if (fraud != null) {
      rank(decided, fraud);
    } else {
      awaitingLabels.put(decision.getTransactionId(), decided);
    }
  }

  synchronized void labelled(FraudLabel label) {
    Decided decided = awaitingLabels.remove(label.getTransactionId());
    if (decided != null) {
      rank(decided, label.getIsFraud());
    } else {
      awaitingDecisions.put(label.getTransactionId(), label.getIsFraud());
    }
  }

  private void rank(Decided decided, boolean fraud) {
    // a decision without a model score (NaN) ranks nothing
    if (decided.postDrift() && !Double.isNaN(decided.score())) {
      rocAuc.computeIfAbsent(decided.modelVersion(), version -> new BinnedRocAuc()).add(decided.score(), fraud);
    }
  }

  /** Decisions per model version of transactions from the drift on. */
  synchronized Map<String, Long> decisionsByModelVersion() {
    return new TreeMap<>(decisions);
  }

  /**
   * Realised ROC AUC per model version over the labelled decisions of transactions from the drift on:
   * how each version ranked the traffic it actually scored. A version whose decisions lack fraud or
   * legitimate labels has none.
   */
  synchronized Map<String, Double> rocAucByModelVersion() {
    Map<String, Double> auc = new LinkedHashMap<>();
    rocAuc.forEach((version, binned) -> binned.rocAuc()
        .ifPresent(value -> auc.put(version, Math.round(value * 1e4) / 1e4)));
    return auc;
  }

  /** Decisions and labels waiting for each other now. */
  synchronized int waiting() {
    return awaitingLabels.size() + awaitingDecisions.size();
  }

  /** A map in the order entries came that lets its oldest go once it holds more than {@code capacity}. */
  private static <V> Map<String, V> oldestLeavingBeyond(int capacity) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
