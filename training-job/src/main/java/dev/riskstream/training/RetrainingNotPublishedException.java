package dev.riskstream.training;

import java.nio.file.Path;

/** A retraining ended without publishing its candidate: the gate rejected it, or retraining failed. */
public final class RetrainingNotPublishedException extends Exception {

  public RetrainingNotPublishedException(RetrainingReport report, Path reportFile) {
    super("retraining " + report.candidateVersion() + " for " + report.championVersion()
        + (report.outcome() == RetrainingReport.Outcome.REJECTED ? ": the gate rejected the candidate" : " failed")
        + " (" + report.detail() + "); report: " + reportFile);
  }
}
