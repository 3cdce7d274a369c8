package dev.riskstream.job.rollout;

import dev.riskstream.features.estimation.ScoreBins;
import dev.riskstream.features.evaluation.PairedAuc;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.performance.PerformanceCounts;
import dev.riskstream.schemas.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Labelled transactions a candidate scored in shadow beside the champion, counted so that the two
 * can be compared pair by pair: per class, how many fell in each cell of the two models' score bins
 * (for the paired AUC test), each version's decisions at its own thresholds (precision, recall, the
 * fraud amount it caught), and the candidate's score bins split by whether the champion flagged the
 * transaction (the candidate at the champion's alert volume). Sums, so the counts of windows add up.
 * A Flink POJO.
 */
public class LabelledPairs implements Counts<LabelledDecision, LabelledPairs> {

  static final int BINS = ScoreBins.COUNT;

  public String candidateVersion;
  /** Per class, the cell {@code candidateBin * BINS + championBin} of each labelled transaction. */
  public Map<Integer, Long> fraudCells = new HashMap<>();
  public Map<Integer, Long> legitimateCells = new HashMap<>();
  public PerformanceCounts candidate = new PerformanceCounts();
  public PerformanceCounts champion = new PerformanceCounts();
  /** By the candidate's score bin: frauds and legitimate ones the champion flagged, or not. */
  public long[] fraudsChampionCaught = new long[BINS];
  public long[] fraudsChampionMissed = new long[BINS];
  public long[] legitimateChampionFlagged = new long[BINS];
  public long[] legitimateChampionApproved = new long[BINS];
  /** Amount of the labelled frauds each version reviewed or declined, EUR. */
  public double candidateFraudAmount;
  public double championFraudAmount;

  /** A shadow pair of segment all: the candidate's would-be decision beside the champion's. */
  @Override
  public void add(LabelledDecision pair) {
    candidateVersion = pair.modelVersion;
    candidate.add(pair.score, pair.outcome, pair.fraud);
    champion.add(pair.decidedScore, pair.decidedOutcome, pair.fraud);
    int candidateBin = ScoreBins.of(pair.score);
    (pair.fraud ? fraudCells : legitimateCells).merge(candidateBin * BINS + ScoreBins.of(pair.decidedScore),
        1L, Long::sum);
    boolean championFlagged = pair.decidedOutcome != Outcome.APPROVE;
    if (pair.fraud) {
      (championFlagged ? fraudsChampionCaught : fraudsChampionMissed)[candidateBin]++;
      candidateFraudAmount += pair.outcome != Outcome.APPROVE ? pair.amountEur : 0;
      championFraudAmount += championFlagged ? pair.amountEur : 0;
    } else {
      (championFlagged ? legitimateChampionFlagged : legitimateChampionApproved)[candidateBin]++;
    }
  }

  @Override
  public void add(LabelledPairs other) {
    if (candidateVersion == null) {
      candidateVersion = other.candidateVersion;
    }
    other.fraudCells.forEach((cell, count) -> fraudCells.merge(cell, count, Long::sum));
    other.legitimateCells.forEach((cell, count) -> legitimateCells.merge(cell, count, Long::sum));
    candidate.add(other.candidate);
    champion.add(other.champion);
    for (int i = 0; i < BINS; i++) {
      fraudsChampionCaught[i] += other.fraudsChampionCaught[i];
      fraudsChampionMissed[i] += other.fraudsChampionMissed[i];
      legitimateChampionFlagged[i] += other.legitimateChampionFlagged[i];
      legitimateChampionApproved[i] += other.legitimateChampionApproved[i];
    }
    candidateFraudAmount += other.candidateFraudAmount;
    championFraudAmount += other.championFraudAmount;
  }

  public long labelled() {
    return candidate.labelled();
  }

  public long frauds() {
    return candidate.frauds();
  }

  /** DeLong's test of the candidate's AUC (model A) against the champion's; null unless both classes were labelled. */
  public PairedAuc.Comparison aucComparison() {
    return PairedAuc.compare(fraudCells, legitimateCells, BINS);
  }

  /**
   * The candidate flagging the labelled transactions of its highest score bins, down to the lowest
   * 0.01 bin edge where it flags at most as many as the champion flagged (never more: a candidate
   * whose scores pile up in one bin is not given the champion's volume and more), and the frauds only
   * one of them then caught. Empty while the champion flagged none.
   */
  public Optional<AtChampionVolume> atChampionVolume() {
    long championFlagged = sum(fraudsChampionCaught, 0) + sum(legitimateChampionFlagged, 0);
    if (championFlagged == 0) {
      return Optional.empty();
    }
    int lowest = BINS;
    long flagged = 0;
    while (lowest > 0 && flagged + inBin(lowest - 1) <= championFlagged) {
      lowest--;
      flagged += inBin(lowest);
    }
    // the threshold is the edge of the lowest bin it flags, not of the empty ones below it
    while (lowest < BINS && inBin(lowest) == 0) {
      lowest++;
    }
    return Optional.of(new AtChampionVolume(lowest / (double) BINS, flagged, championFlagged,
        sum(fraudsChampionMissed, lowest), sum(fraudsChampionCaught, 0) - sum(fraudsChampionCaught, lowest)));
  }

  /**
   * The candidate at the champion's alert volume.
   *
   * @param threshold its score threshold there
   * @param flagged labelled transactions it flags there
   * @param championFlagged labelled transactions the champion flagged
   * @param candidateOnly labelled frauds it catches there and the champion missed
   * @param championOnly labelled frauds the champion caught and it misses there
   */
  public record AtChampionVolume(double threshold, long flagged, long championFlagged, long candidateOnly,
      long championOnly) {}

  private long inBin(int bin) {
    return fraudsChampionCaught[bin] + fraudsChampionMissed[bin] + legitimateChampionFlagged[bin]
        + legitimateChampionApproved[bin];
  }

  private static long sum(long[] bins, int from) {
    long total = 0;
    for (int i = from; i < bins.length; i++) {
      total += bins[i];
    }
    return total;
  }
}
