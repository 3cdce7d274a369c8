package dev.riskstream.job.operators;

import dev.riskstream.job.performance.RuleHits;
import dev.riskstream.schemas.Decision;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The decision side of the rules' label join: of each decision a rule fired for (or, in shadow, would
 * have), the rules and whether the model alone flagged it; nothing of the others.
 */
public final class RuleHitsOf implements FlatMapFunction<Decision, RuleHits> {

  @Override
  public void flatMap(Decision decision, Collector<RuleHits> out) {
    if (decision.getRulesFired().isEmpty() && decision.getShadowRulesFired().isEmpty()) {
      return;
    }
    out.collect(new RuleHits(decision.getTransactionId().toString(), decision.getModelVersion().toString(),
        String.valueOf(decision.getRuleSetVersion()), decision.getEventTime().toEpochMilli(),
        DecisionPolicy.modelFlagged(decision), ids(decision.getRulesFired()), ids(decision.getShadowRulesFired())));
  }

  private static String[] ids(List<? extends CharSequence> ids) {
    return ids.stream().map(CharSequence::toString).toArray(String[]::new);
  }
}
