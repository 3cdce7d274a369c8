package dev.riskstream.job.batch;

import dev.riskstream.schemas.Outcome;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * What a rule backtest found, summed over its rows: outcomes under the model alone, the current set
 * and the candidate; the decisions the candidate changes; per rule of the candidate, its hits; and,
 * with labels, how much fraud each of them flagged. Precision and recall follow from the counts
 * ({@link Flags}).
 */
public class BacktestTally {

  public long transactions;
  public long labelled;
  public long fraud;
  /** In the base currency (EUR). */
  public double fraudAmount;
  public Map<Outcome, Long> byModel = new TreeMap<>();
  public Map<Outcome, Long> byCurrent = new TreeMap<>();
  public Map<Outcome, Long> byCandidate = new TreeMap<>();
  /** Decisions the candidate changes, as "CURRENT->CANDIDATE", e.g. "APPROVE->DECLINE". */
  public Map<String, Long> changes = new TreeMap<>();
  public long changedFraud;
  public long changedLegitimate;
  /** Flagged: declined or reviewed. */
  public Flags flaggedByModel = new Flags();
  public Flags flaggedByCurrent = new Flags();
  public Flags flaggedByCandidate = new Flags();
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
    byModel.merge(row.byModel, 1L, Long::sum);
    byCurrent.merge(row.current, 1L, Long::sum);
    byCandidate.merge(row.candidate, 1L, Long::sum);
    if (row.current != row.candidate) {
      changes.merge(row.current + "->" + row.candidate, 1L, Long::sum);
      if (row.fraud != null) {
        changedFraud += row.fraud ? 1 : 0;
        changedLegitimate += row.fraud ? 0 : 1;
      }
    }
    flaggedByModel.count(row.byModel != Outcome.APPROVE, row);
    flaggedByCurrent.count(row.current != Outcome.APPROVE, row);
    flaggedByCandidate.count(row.candidate != Outcome.APPROVE, row);
    row.candidateRulesFired.forEach(rule -> rules.computeIfAbsent(rule, id -> new Flags()).count(true, row));
    row.candidateRulesFailed.forEach(rule -> ruleFailures.merge(rule, 1L, Long::sum));
  }

  BacktestTally merge(BacktestTally other) {
    transactions += other.transactions;
    labelled += other.labelled;
    fraud += other.fraud;
    fraudAmount += other.fraudAmount;
    other.byModel.forEach((outcome, count) -> byModel.merge(outcome, count, Long::sum));
    other.byCurrent.forEach((outcome, count) -> byCurrent.merge(outcome, count, Long::sum));
    other.byCandidate.forEach((outcome, count) -> byCandidate.merge(outcome, count, Long::sum));
    other.changes.forEach((change, count) -> changes.merge(change, count, Long::sum));
    changedFraud += other.changedFraud;
    changedLegitimate += other.changedLegitimate;
    flaggedByModel.merge(other.flaggedByModel);
    flaggedByCurrent.merge(other.flaggedByCurrent);
    flaggedByCandidate.merge(other.flaggedByCandidate);
    other.rules.forEach((rule, flags) -> rules.computeIfAbsent(rule, id -> new Flags()).merge(flags));
    other.ruleFailures.forEach((rule, count) -> ruleFailures.merge(rule, count, Long::sum));
    return this;
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
