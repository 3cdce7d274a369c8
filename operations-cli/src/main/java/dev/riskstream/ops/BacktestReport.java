package dev.riskstream.ops;

import dev.riskstream.job.batch.BacktestTally;
import dev.riskstream.job.batch.BacktestTally.Flags;
import dev.riskstream.rules.CompiledRule;
import java.io.PrintWriter;
import java.util.Optional;

/** A rule backtest for a person to read: the three ways of deciding side by side, the changes, then each rule. */
final class BacktestReport {

  private static final String ROW = "%-34s %9s %10s %8s %18s%n";

  private final PrintWriter out;

  BacktestReport(PrintWriter out) {
    this.out = out;
  }

  void print(BacktestTally tally, RuleSetFiles.Compiled candidate, Optional<RuleSetFiles.Compiled> current) {
    String against = current.map(set -> "rule set " + set.rules().version()).orElse("the model alone");
    out.printf("Rule set %s against %s: %,d transactions, %,d labelled, %,d fraud (%,.2f EUR)%n%n",
        candidate.rules().version(), against, tally.transactions, tally.labelled, tally.fraud, tally.fraudAmount);
    out.printf(ROW, "decided by", "flagged", "precision", "recall", "fraud caught, EUR");
    flags("the model alone", tally.byModel.flagged, tally);
    flags(current.isPresent() ? "current: " + current.get().rules().version() : "current: no rules",
        tally.byCurrent.flagged, tally);
    flags("candidate: " + candidate.rules().version(), tally.byCandidate.flagged, tally);
    out.println("(flagged: declined or reviewed)");
    out.println();
    long changed = tally.changes.values().stream().mapToLong(Long::longValue).sum();
    out.printf("Decisions the candidate changes: %,d (labelled fraud %,d, labelled legitimate %,d)%n",
        changed, tally.changedFraud, tally.changedLegitimate);
    tally.changes.forEach((change, count) -> out.printf("  %-20s %,9d%n", change, count));
    out.println();
    // as wide as the longest id, so that every rule's figures stand in their columns
    int idWidth = candidate.rules().rules().stream().mapToInt(rule -> rule.id().length()).max().orElse(0);
    String ruleColumns = "%-" + Math.max(27, idWidth) + "s %-6s";
    out.printf(ROW.replace("%-34s", ruleColumns).replace("%n", " %7s%n"),
        "rule", "mode", "hits", "precision", "recall", "fraud caught, EUR", "failed");
    for (CompiledRule rule : candidate.rules().rules()) {
      Flags flags = tally.rules.getOrDefault(rule.id(), new Flags());
      out.printf(ROW.replace("%-34s", ruleColumns).replace("%n", " %,7d%n"), rule.id(),
          rule.definition().mode().name().toLowerCase(), String.format("%,d", flags.flagged),
          ratio(flags.precision()), ratio(flags.recall(tally.fraud)), String.format("%,.2f", flags.fraudAmount),
          tally.ruleFailures.getOrDefault(rule.id(), 0L));
    }
    out.println("(shadow rules: the transactions they would have fired on)");
    out.flush();
  }

  private void flags(String decidedBy, Flags flags, BacktestTally tally) {
    out.printf(ROW, decidedBy, String.format("%,d", flags.flagged), ratio(flags.precision()),
        ratio(flags.recall(tally.fraud)), String.format("%,.2f", flags.fraudAmount));
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.3f", value);
  }
}
