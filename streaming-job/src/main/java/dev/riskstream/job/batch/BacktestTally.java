package dev.riskstream.job.batch;

import dev.riskstream.schemas.Outcome;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * What a rule backtest found, summed over its rows: outcomes and flagged transactions under the model
 * alone, the current set and the candidate; the decisions the candidate changes; per rule of the candidate, its hits; and,
 * with labels, how much fraud each of them flagged. Precision and recall follow from the counts
 * ({@link Flags}).
 */
public class BacktestTally {

  public long transactions;
  public long labelled;
  public long fraud;
  /** In the base currency (EUR). */
  public double fraudAmount;
  public Decided byModel = new Decided();
  public Decided byCurrent = new Decided();
  public Decided byCandidate = new Decided();
  /** Decisions the candidate changes, as "CURRENT->CANDIDATE", e.g. "APPROVE->DECLINE". */
  public Map<String, Long> changes = new TreeMap<>();
  public long changedFraud;
  public long changedLegitimate;
  /** Per rule id of the candidate: the transactions it fired on (shadow rules: would have). */
  public Map<String, Flags> rules = new TreeMap<>();
  /** Per rule id of the candidate: the transactions it could not be evaluated for. */
  public Map<String, Long> ruleFailures = new TreeMap<>();

  public BacktestTally() {}

  void add(BacktestRow row) {
    transactions++;
    if (row.fraud != null) {
      labelled++;
      if (row.fraud) {
        fraud++;
        fraudAmount += row.amount;
      }
    }
    byModel.count(row.byModel, row);
    byCurrent.count(row.current, row);
    byCandidate.count(row.candidate, row);
    if (row.current != row.candidate) {
      changes.merge(row.current + "->" + row.candidate, 1L, Long::sum);
      if (row.fraud != null) {
        changedFraud += row.fraud ? 1 : 0;
        changedLegitimate += row.fraud ? 0 : 1;
      }
    }
    row.candidateRulesFired.forEach(rule -> rules.computeIfAbsent(rule, id -> new Flags()).count(true, row));
    row.candidateRulesFailed.forEach(rule -> ruleFailures.merge(rule, 1L, Long::sum));
  }

  BacktestTally merge(BacktestTally other) {
    transactions += other.transactions;
    labelled += other.labelled;
    fraud += other.fraud;
    fraudAmount += other.fraudAmount;
    byModel.merge(other.byModel);
    byCurrent.merge(other.byCurrent);
    byCandidate.merge(other.byCandidate);
    other.changes.forEach((change, count) -> changes.merge(change, count, Long::sum));
    changedFraud += other.changedFraud;
    changedLegitimate += other.changedLegitimate;
    other.rules.forEach((rule, flags) -> rules.computeIfAbsent(rule, id -> new Flags()).merge(flags));
    other.ruleFailures.forEach((rule, count) -> ruleFailures.merge(rule, count, Long::sum));
    return this;
  }

  /** How one way of deciding (the model alone, a rule set) decided: its outcomes, and what it flagged. */
  public static class Decided {
    public Map<Outcome, Long> outcomes = new TreeMap<>();
    /** Flagged: declined or reviewed. */
    public Flags flagged = new Flags();

    public Decided() {}

    void count(Outcome outcome, BacktestRow row) {
      outcomes.merge(outcome, 1L, Long::sum);
      flagged.count(outcome != Outcome.APPROVE, row);
    }

    void merge(Decided other) {
      other.outcomes.forEach((outcome, count) -> outcomes.merge(outcome, count, Long::sum));
      flagged.merge(other.flagged);
    }
  }

  /** Transactions something flagged, and of them the labelled ones, the fraud and its amount. */
  public static class Flags {
    public long flagged;
    public long labelled;
    public long fraud;
    public double fraudAmount;

    public Flags() {}

    void count(boolean flaggedNow, BacktestRow row) {
      if (!flaggedNow) {
        return;
      }
      flagged++;
      if (row.fraud != null) {
        labelled++;
        if (row.fraud) {
          fraud++;
          fraudAmount += row.amount;
        }
      }
    }

    void merge(Flags other) {
      flagged += other.flagged;
      labelled += other.labelled;
      fraud += other.fraud;
      fraudAmount += other.fraudAmount;
    }

    /** Of the labelled transactions flagged, the share that was fraud; NaN when none was labelled. */
    public double precision() {
      return labelled == 0 ? Double.NaN : (double) fraud / labelled;
    }

    /** Of all the fraud, the share flagged; NaN when there was none. */
    public double recall(long allFraud) {
      return allFraud == 0 ? Double.NaN : (double) fraud / allFraud;
    }
  }

  /** Sums rows into a tally, and partial tallies into one. */
  public static final class Sum implements AggregateFunction<BacktestRow, BacktestTally, BacktestTally> {
    @Override
    public BacktestTally createAccumulator() {
      return new BacktestTally();
    }

    @Override
    public BacktestTally add(BacktestRow row, BacktestTally tally) {
      tally.add(row);
      return tally;
    }

    @Override
    public BacktestTally getResult(BacktestTally tally) {
      return tally;
    }

    @Override
    public BacktestTally merge(BacktestTally a, BacktestTally b) {
      return a.merge(b);
    }
  }
}
