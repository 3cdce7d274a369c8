package dev.riskstream.training;

import java.util.List;

/**
 * What one retraining did and why, as written to {@code <retraining.reports>/<candidate>/report.json}.
 *
 * @param from first event time of the logged decisions trained and tested on
 * @param to end (exclusive) of that range
 * @param loggedDecisions decisions the feature log holds in the range
 * @param labelledRows those of them with a label, the rows trained and tested on
 * @param heldOutFrom first event time of the held-out rows both models were evaluated on
 * @param champion the champion's results on the held-out rows; null when training failed
 * @param candidate the candidate's; null when training failed
 * @param checks the gate's comparisons
 * @param outcome PUBLISHED, REJECTED or FAILED
 * @param detail where the announcement landed, which checks failed, or why training failed
 */
public record RetrainingReport(
    String requestId,
    String reason,
    String championVersion,
    String candidateVersion,
    String from,
    String to,
    long loggedDecisions,
    long labelledRows,
    long fraudRows,
    String heldOutFrom,
    HeldOutEvaluation champion,
    HeldOutEvaluation candidate,
    List<ValidationGate.Check> checks,
    Outcome outcome,
    String detail) {

  /** How a retraining ended. */
  public enum Outcome { PUBLISHED, REJECTED, FAILED }
}
