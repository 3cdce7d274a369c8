package dev.riskstream.job.batch;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.operators.DecisionPolicy;
import org.apache.flink.api.common.functions.MapFunction;

/** Rows of the decision table: each scored transaction's decision, as the decision policy makes it, with its customer. */
public final class DecisionRows implements MapFunction<EnrichedTransaction, DecisionRow> {

  @Override
  public DecisionRow map(EnrichedTransaction scored) {
    return new DecisionRow(scored.transaction.getCustomerId(), DecisionPolicy.decision(scored));
  }
}
