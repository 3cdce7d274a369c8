package dev.riskstream.job.operators;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.batch.BacktestRow;
import dev.riskstream.rules.CompiledRuleSet;
import dev.riskstream.rules.InvalidRuleSetException;
import dev.riskstream.rules.RuleSetCompiler;
import dev.riskstream.rules.RuleVerdict;
import dev.riskstream.rules.TransactionFacts;
import dev.riskstream.schemas.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Decides each scored transaction three ways, as {@link DecisionPolicy} would: by the model alone,
 * under the current rule set and under a candidate, on the same features and score, so that a
 * backtest compares rule sets and nothing else.
 */
public final class RuleBacktest extends RichMapFunction<EnrichedTransaction, BacktestRow> {

  private final String candidateYaml;
  /** Null: the model alone is what the candidate is compared with. */
  private final String currentYaml;
  private transient CompiledRuleSet candidate;
  private transient CompiledRuleSet current;

  public RuleBacktest(String candidateYaml, String currentYaml) {
    this.candidateYaml = candidateYaml;
    this.currentYaml = currentYaml;
  }

  @Override
  public void open(OpenContext openContext) throws InvalidRuleSetException {
    candidate = RuleSetCompiler.compile(candidateYaml);
    current = currentYaml == null ? null : RuleSetCompiler.compile(currentYaml);
  }

  @Override
  public BacktestRow map(EnrichedTransaction tx) {
    TransactionFacts facts = tx.ruleFacts();
    Outcome byModel = DecisionPolicy.outcome(tx);
    RuleVerdict byCandidate = candidate.evaluate(facts);
    Outcome byCurrent = current == null ? byModel : current.evaluate(facts).outcome(byModel);
    List<String> fired = new ArrayList<>(byCandidate.firedIds());
    fired.addAll(byCandidate.shadowFiredIds());
    BacktestRow row = new BacktestRow(tx.transaction.getTransactionId(),
        facts.amountInBaseCurrency().orElse(0.0),
        byModel, byCurrent, byCandidate.outcome(byModel), fired);
    byCandidate.failures().forEach(failure -> row.candidateRulesFailed.add(failure.rule().id()));
    return row;
  }
}
