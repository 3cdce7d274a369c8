package dev.riskstream.job.rollout;

/**
 * What the evidence on a candidate says: wait for more, promote it or reject it, why, and the
 * p-values of the paired tests that decided or are still short of deciding.
 */
public record RolloutVerdict(Kind kind, String detail, Tests tests) {

  public enum Kind { WAITING, PROMOTE, REJECT }

  /**
   * The paired tests' one-sided p-values; null before the labels allow them.
   *
   * @param pValueBetter McNemar at the champion's alert volume: of the candidate catching more frauds
   * @param pValueWorse the same: of it catching fewer
   * @param pValueAucHigher DeLong: of the candidate's ROC AUC being higher
   * @param pValueAucLower DeLong: of it being lower
   */
  public record Tests(Double pValueBetter, Double pValueWorse, Double pValueAucHigher, Double pValueAucLower) {
    static final Tests NONE = new Tests(null, null, null, null);
  }

  static RolloutVerdict waiting(String detail) {
    return new RolloutVerdict(Kind.WAITING, detail, Tests.NONE);
  }

  public boolean decided() {
    return kind != Kind.WAITING;
  }
}
