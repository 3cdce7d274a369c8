package dev.riskstream.job.batch;

import dev.riskstream.schemas.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction of a rule backtest: how the model alone, the current rule set and the candidate
 * decided it, which of the candidate's rules fired, and, once joined with its label, whether it was fraud.
 */
public class BacktestRow {

  public String transactionId;
  /** In the base currency (EUR); 0 when its currency has no rate. */
  public double amount;
  public Outcome byModel;
  public Outcome current;
  public Outcome candidate;
  /** The candidate's rules that fired, active and shadow, in the set's order. */
  public List<String> candidateRulesFired;
  /** The candidate's rules that could not be evaluated for this transaction, counted as not fired. */
  public List<String> candidateRulesFailed = new ArrayList<>();
  /** Null: no label. */
  public Boolean fraud;

  public BacktestRow() {}

  public BacktestRow(String transactionId, double amount, Outcome byModel, Outcome current, Outcome candidate,
      List<String> candidateRulesFired) {
    this.transactionId = transactionId;
    this.amount = amount;
    this.byModel = byModel;
    this.current = current;
    this.candidate = candidate;
    this.candidateRulesFired = candidateRulesFired;
  }
}
