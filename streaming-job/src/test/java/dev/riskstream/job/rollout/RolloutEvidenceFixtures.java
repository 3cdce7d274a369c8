package dev.riskstream.job.rollout;

import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.schemas.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Constructed evidence on a candidate beside a champion, for the rollout's tests. */
final class RolloutEvidenceFixtures {

  static final String CANDIDATE = "candidate-2";
  static final String CHAMPION = "baseline-1";
  static final long WINDOW = 60_000;

  private RolloutEvidenceFixtures() {}

  /** Small minimums so a test's evidence can reach them: 200 labelled, 20 frauds, windows of 100. */
  static RolloutSettings settings(RolloutPolicy policy) {
    return new RolloutSettings(policy, 0.05, 200, 20, 0.05, 2.0, 0.001, Duration.ofMillis(WINDOW), 100,
        Duration.ofMillis(20 * WINDOW));
  }

  /** A closed guardrail window: {@code scored} transactions, each version flagging and declining as given. */
  static GuardrailCounts window(int index, long scored, long candidateFlagged, long championFlagged,
      long candidateDeclined, long championDeclined, long candidateUnscored) {
    GuardrailCounts counts = new GuardrailCounts();
    counts.candidateVersion = CANDIDATE;
    counts.championVersion = CHAMPION;
    counts.windowEnd = (index + 1) * WINDOW;
    counts.scored = scored;
    counts.candidateFlagged = candidateFlagged;
    counts.championFlagged = championFlagged;
    counts.candidateDeclined = candidateDeclined;
    counts.championDeclined = championDeclined;
    counts.candidateUnscored = candidateUnscored;
    return counts;
  }

  /** A window in which both versions flag 3% and decline 1%. */
  static GuardrailCounts quietWindow(int index) {
    return window(index, 1000, 30, 30, 10, 10, 0);
  }

  /** A labelled shadow pair of segment all: the candidate's would-be decision beside the champion's. */
  static LabelledDecision pair(boolean fraud, double candidateScore, double championScore) {
    return LabelledDecision.ofShadow(CANDIDATE, Segmenter.ALL, 1_000, candidateScore, outcome(candidateScore), fraud,
        championScore, outcome(championScore), 100.0);
  }

  /** Both versions' thresholds in these tests: review at 0.5, decline at 0.9. */
  static Outcome outcome(double score) {
    return score >= 0.9 ? Outcome.DECLINE : score >= 0.5 ? Outcome.REVIEW : Outcome.APPROVE;
  }

  /**
   * Labelled evidence where both versions flag as many transactions: {@code legitimate} that both
   * approve, frauds of which both catch {@code bothCatch}, only the candidate {@code candidateOnly}
   * and only the champion {@code championOnly}, and as many legitimate ones flagged by one version
   * alone as the other caught frauds alone. Scores rank in that order, so the candidate at the
   * champion's alert volume flags exactly what it flags at its own thresholds.
   */
  static List<LabelledDecision> labelled(int legitimate, int bothCatch, int candidateOnly, int championOnly) {
    List<LabelledDecision> pairs = new ArrayList<>();
    pairs.addAll(Collections.nCopies(legitimate, pair(false, 0.1, 0.1)));
    pairs.addAll(Collections.nCopies(bothCatch, pair(true, 0.95, 0.95)));
    pairs.addAll(Collections.nCopies(candidateOnly, pair(true, 0.85, 0.3)));
    pairs.addAll(Collections.nCopies(championOnly, pair(true, 0.3, 0.6)));
    pairs.addAll(Collections.nCopies(candidateOnly, pair(false, 0.2, 0.6)));
    pairs.addAll(Collections.nCopies(championOnly, pair(false, 0.7, 0.2)));
    return pairs;
  }

  static void addLabelled(RolloutTally tally, int legitimate, int bothCatch, int candidateOnly, int championOnly) {
    tally.add(counted(labelled(legitimate, bothCatch, candidateOnly, championOnly)));
  }

  /** A window's count of {@code pairs}. */
  static LabelledPairs counted(List<LabelledDecision> pairs) {
    LabelledPairs counted = new LabelledPairs();
    pairs.forEach(counted::add);
    return counted;
  }
}
