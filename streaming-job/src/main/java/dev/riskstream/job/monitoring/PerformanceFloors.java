package dev.riskstream.job.monitoring;

import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.EstimatedPerformance;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainEvidence;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When realised (or estimated) performance counts as fallen: a segment's window whose report has at least
 * {@code minLabelled} labelled decisions and {@code minFrauds} labelled frauds fails when a measure
 * with a floor is below it. A null floor is not checked; a measure the report leaves null (no fraud
 * labelled, nothing declined) is not judged either, so a report with no measure to judge has no
 * verdict, like a report with too few labels: below those minimums precision, recall and AUC are
 * mostly chance. The minimums apply per segment, so a small segment is not judged on its own.
 */
public record PerformanceFloors(long minLabelled, long minFrauds, Double minRocAuc, Double minReviewRecall,
    Double minDeclinePrecision) implements Serializable {

  public PerformanceFloors {
    if (minLabelled < 0 || minFrauds < 0) {
      throw new IllegalArgumentException("minimum labels must not be negative: " + minLabelled + ", " + minFrauds);
    }
    for (Double floor : new Double[] {minRocAuc, minReviewRecall, minDeclinePrecision}) {
      if (floor != null && (floor < 0 || floor > 1)) {
        throw new IllegalArgumentException("performance floors lie between 0 and 1, not " + floor);
      }
    }
  }

  private record Measure(String name, Double value, Double floor) {

    boolean judged() {
      return value != null && floor != null;
    }
  }

  /**
   * The measures of the report below their floors, naming its segment: empty when it passes; absent
   * when it has no verdict.
   */
  public Optional<List<RetrainEvidence>> evidence(PerformanceReport report) {
    return judge(report.getLabelled(), report.getFrauds(), "", report.getRocAuc(), report.getReviewRecall(),
        report.getDeclinePrecision(), report.getWindowStart(), report.getWindowEnd(), report.getSegment());
  }

  /**
   * The same judgement of the performance estimated for a drift report's window, before labels: the
   * window's transactions stand for the labelled decisions, its expected frauds for the labelled
   * frauds; the evidence names the measures {@code estimated_...}. Absent without an estimate.
   */
  public Optional<List<RetrainEvidence>> estimatedEvidence(DriftReport report) {
    EstimatedPerformance estimated = report.getEstimated();
    if (estimated == null) {
      return Optional.empty();
    }
    return judge(estimated.getScored(), estimated.getExpectedFrauds(), "estimated_", estimated.getRocAuc(),
        estimated.getReviewRecall(), estimated.getDeclinePrecision(), report.getWindowStart(), report.getWindowEnd(),
        report.getSegment());
  }

  private Optional<List<RetrainEvidence>> judge(long labelled, double frauds, String prefix, Double rocAuc,
      Double reviewRecall, Double declinePrecision, Instant windowStart, Instant windowEnd, String segment) {
    if (labelled < minLabelled || frauds < minFrauds) {
      return Optional.empty();
    }
    List<Measure> judged = List.of(
            new Measure(prefix + "roc_auc", rocAuc, minRocAuc),
            new Measure(prefix + "review_recall", reviewRecall, minReviewRecall),
            new Measure(prefix + "decline_precision", declinePrecision, minDeclinePrecision))
        .stream().filter(Measure::judged).toList();
    if (judged.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(judged.stream()
        .filter(measure -> measure.value() < measure.floor())
        .map(measure -> RetrainEvidence.newBuilder()
            .setWindowStart(windowStart)
            .setWindowEnd(windowEnd)
            .setSegment(segment)
            .setFeature(measure.name())
            .setStatistic(measure.name())
            .setValue(measure.value())
            .setThreshold(measure.floor())
            .build())
        .toList());
  }
}
