package dev.riskstream.job.operators;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.performance.AwaitingLabel;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.performance.RuleHits;
import dev.riskstream.job.performance.SegmentedDecision;
import dev.riskstream.schemas.FraudLabel;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pairs each decision with the label of its transaction, keyed by transactionId: whichever arrives
 * first waits in keyed state for the other, up to {@code ttl} of event time after its own time (the
 * decision's transaction time, the label's labelledAt). The decision makes the pairs ({@link
 * AwaitingLabel#pairWith}): the model's decisions ({@link #ofDecisions}) one per segment, the rules'
 * hits ({@link #ofRuleHits}) one per rule. What expires is counted, never dropped silently: labels
 * without a decision in {@code labels.unmatched}, decisions without a label in
 * {@code labels.unlabelledDecisions}. The rules' join counts in {@code ruleLabels} instead, and a label
 * waits there only until the watermark passes its labelledAt: most transactions have no rule hits,
 * and a transaction's hits carry its event time, before its label's, so once the watermark has passed
 * the label every hit it could pair with has come. Holding every label for the decisions' ttl would
 * double the join's state; not holding it at all lost the pairs whose hits came by their shuffle
 * after the label (the decision itself is not late: only the hits' hop lagged).
 *
 * <p>Expiry is an event-time timer rather than Flink's state TTL, which counts processing time only:
 * labels come days of event time later, and a replay or the demo's simulated clock runs days of event
 * time in minutes.
 */
public final class LabelJoin<D extends AwaitingLabel>
    extends KeyedCoProcessFunction<String, D, FraudLabel, LabelledDecision> {

  public static final String METRIC_GROUP = "labels";
  static final String RULE_METRIC_GROUP = "ruleLabels";

  private final long ttlMillis;
  private final ValueStateDescriptor<D> awaiting;
  /** How long after its labelledAt, in event time, a label waits for its decision. */
  private final long labelWaitMillis;
  /** Whether a label whose wait ran out counts as unmatched: not in the rules' join, where most have no hits. */
  private final boolean countsUnmatchedLabels;
  private final String metricGroup;
  private transient ValueState<D> decision;
  private transient ValueState<FraudLabel> label;
  private transient Counter matched;
  private transient Counter unmatched;
  private transient Counter unlabelledDecisions;

  private LabelJoin(Duration ttl, ValueStateDescriptor<D> awaiting, Duration labelWait, boolean countsUnmatchedLabels,
      String metricGroup) {
    this.ttlMillis = ttl.toMillis();
    this.awaiting = awaiting;
    this.labelWaitMillis = labelWait.toMillis();
    this.countsUnmatchedLabels = countsUnmatchedLabels;
    this.metricGroup = metricGroup;
  }

  /** The model's decisions with the segments their transactions are counted in. */
  public static LabelJoin<SegmentedDecision> ofDecisions(Duration ttl) {
    return new LabelJoin<>(ttl, PipelineState.decisionAwaitingLabel(), ttl, true, METRIC_GROUP);
  }

  /** The rules that fired, active and shadow, for the decisions they fired for. */
  public static LabelJoin<RuleHits> ofRuleHits(Duration ttl) {
    return new LabelJoin<>(ttl, PipelineState.ruleHitsAwaitingLabel(), Duration.ZERO, false, RULE_METRIC_GROUP);
  }

  @Override
  public void open(OpenContext openContext) {
    decision = getRuntimeContext().getState(awaiting);
    label = getRuntimeContext().getState(PipelineState.labelAwaitingDecision());
    MetricGroup labels = getRuntimeContext().getMetricGroup().addGroup(metricGroup);
    matched = labels.counter("matched");
    unmatched = labels.counter("unmatched");
    unlabelledDecisions = labels.counter("unlabelledDecisions");
  }

  @Override
  public void processElement1(D arrived, Context ctx, Collector<LabelledDecision> out) throws Exception {
    FraudLabel waiting = label.value();
    if (waiting == null) {
      decision.update(arrived);
      ctx.timerService().registerEventTimeTimer(expiry(arrived));
      return;
    }
    label.clear();
    ctx.timerService().deleteEventTimeTimer(expiry(waiting));
    match(arrived, waiting, out);
  }

  @Override
  public void processElement2(FraudLabel arrived, Context ctx, Collector<LabelledDecision> out) throws Exception {
    D waiting = decision.value();
    if (waiting == null) {
      label.update(arrived);
      ctx.timerService().registerEventTimeTimer(expiry(arrived));
      return;
    }
    decision.clear();
    ctx.timerService().deleteEventTimeTimer(expiry(waiting));
    match(waiting, arrived, out);
  }

  private void match(D decided, FraudLabel truth, Collector<LabelledDecision> out) {
    matched.inc();
    decided.pairWith(truth.getIsFraud(), out);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabelledDecision> out) throws Exception {
    D waitingDecision = decision.value();
    if (waitingDecision != null && expiry(waitingDecision) <= timestamp) {
      decision.clear();
      unlabelledDecisions.inc();
    }
    FraudLabel waitingLabel = label.value();
    if (waitingLabel != null && expiry(waitingLabel) <= timestamp) {
      label.clear();
      if (countsUnmatchedLabels) {
        unmatched.inc();
      }
    }
  }

  private long expiry(D waiting) {
    return waiting.decidedAt() + ttlMillis;
  }

  private long expiry(FraudLabel waiting) {
    return waiting.getLabelledAt().toEpochMilli() + labelWaitMillis;
  }

  /** For tests: the metrics' counts. */
  long matchedCount() {
    return matched.getCount();
  }

  long unmatchedCount() {
    return unmatched.getCount();
  }

  long unlabelledDecisionCount() {
    return unlabelledDecisions.getCount();
  }
}
