package dev.riskstream.job;

import dev.riskstream.job.performance.PerformanceCounts;
import dev.riskstream.job.performance.RuleHits;
import dev.riskstream.job.performance.SegmentedDecision;
import dev.riskstream.job.rollout.RolloutTally;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.RuleSetUpdate;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * State descriptors and side outputs shared by the job and its operators. Their names are part of
 * savepoints: renaming one loses state.
 */
public final class PipelineState {

  /** What each scoring subtask did with each model update. */
  public static final OutputTag<ModelStatus> MODEL_STATUS =
      new OutputTag<>("model-status", new AvroTypeInfo<>(ModelStatus.class));

  /** What the job did with each published rule set. */
  public static final OutputTag<RuleSetStatus> RULE_STATUS =
      new OutputTag<>("rule-status", new AvroTypeInfo<>(RuleSetStatus.class));

  private PipelineState() {}

  /**
   * Per card, its most recent transactionIds within the de-duplication horizon, with the event time
   * each was first seen at.
   */
  public static ValueStateDescriptor<RecentTransactionIds> recentTransactionIds() {
    return new ValueStateDescriptor<>("recent-transaction-ids", TypeInformation.of(RecentTransactionIds.class));
  }

  /**
   * Per card, the transactionIds it was seen with beyond the {@link #recentTransactionIds} it keeps
   * (and every one, in the savepoints of earlier releases), with the event time each was first seen
   * at, until the de-duplication horizon after it has passed.
   */
  public static MapStateDescriptor<String, Long> seenTransactionIds() {
    return new MapStateDescriptor<>("seen-transaction-ids", Types.STRING, Types.LONG);
  }

  /** Per card; a new descriptor each call because descriptors carry runtime state once used. */
  public static ValueStateDescriptor<CardState> cardHistory() {
    return new ValueStateDescriptor<>("card-history", new AvroTypeInfo<>(CardState.class));
  }

  /**
   * Per scoring subtask, broadcast (every subtask holds the same): the announcement of the model that
   * scores ({@code active}; absent while the initial bundle does) and the one being loaded
   * ({@code pending}), so that a restart resumes with the same model and finishes the switch.
   */
  public static MapStateDescriptor<String, ModelUpdate> modelUpdates() {
    return new MapStateDescriptor<>("model-updates", Types.STRING, new AvroTypeInfo<>(ModelUpdate.class));
  }

  /**
   * Per card, transactions the watermark has not passed yet, by event time; a list because a card
   * can have several transactions in the same millisecond (kept in arrival order).
   */
  public static MapStateDescriptor<Long, List<PendingTransaction>> pendingTransactions() {
    return new MapStateDescriptor<>("pending-transactions", Types.LONG,
        new ListTypeInfo<>(TypeInformation.of(PendingTransaction.class)));
  }

  /** Per card with a history: the event time its cleanup timer fires at. */
  public static ValueStateDescriptor<Long> cardCleanupTimer() {
    return new ValueStateDescriptor<>("card-cleanup-timer", Types.LONG);
  }

  /** Per model version: the evidence of each window not yet judged, by window end; empty: stable. */
  public static MapStateDescriptor<Long, List<RetrainEvidence>> driftWindowsToJudge() {
    return new MapStateDescriptor<>("drift-windows-to-judge", Types.LONG,
        new ListTypeInfo<>(new AvroTypeInfo<>(RetrainEvidence.class)));
  }

  /** Per model version: the evidence of the current run of drifting windows. */
  public static ListStateDescriptor<RetrainEvidence> driftStreakEvidence() {
    return new ListStateDescriptor<>("drift-streak-evidence", new AvroTypeInfo<>(RetrainEvidence.class));
  }

  /** Per model version: how many drifting windows in a row. */
  public static ValueStateDescriptor<Integer> driftStreak() {
    return new ValueStateDescriptor<>("drift-streak", Types.INT);
  }

  /**
   * Per model version: the verdict of each performance window not yet judged, by the event time it
   * is judged at; empty: good enough.
   */
  public static MapStateDescriptor<Long, List<RetrainEvidence>> performanceWindowsToJudge() {
    return new MapStateDescriptor<>("performance-windows-to-judge", Types.LONG,
        new ListTypeInfo<>(new AvroTypeInfo<>(RetrainEvidence.class)));
  }

  /** Per model version: the evidence of the current run of performance windows below a floor. */
  public static ListStateDescriptor<RetrainEvidence> performanceStreakEvidence() {
    return new ListStateDescriptor<>("performance-streak-evidence", new AvroTypeInfo<>(RetrainEvidence.class));
  }

  /** Per model version: how many performance windows below a floor in a row. */
  public static ValueStateDescriptor<Integer> performanceStreak() {
    return new ValueStateDescriptor<>("performance-streak", Types.INT);
  }

  /**
   * Per model version: the verdict of each window's estimated performance not yet judged, by window
   * end; empty: good enough.
   */
  public static MapStateDescriptor<Long, List<RetrainEvidence>> estimatedWindowsToJudge() {
    return new MapStateDescriptor<>("estimated-windows-to-judge", Types.LONG,
        new ListTypeInfo<>(new AvroTypeInfo<>(RetrainEvidence.class)));
  }

  /** Per model version: the evidence of the current run of windows estimated below a floor. */
  public static ListStateDescriptor<RetrainEvidence> estimatedStreakEvidence() {
    return new ListStateDescriptor<>("estimated-streak-evidence", new AvroTypeInfo<>(RetrainEvidence.class));
  }

  /** Per model version: how many windows estimated below a floor in a row. */
  public static ValueStateDescriptor<Integer> estimatedStreak() {
    return new ValueStateDescriptor<>("estimated-streak", Types.INT);
  }

  /** Per model version: the end of the first window judged, from which the warm-up counts. */
  public static ValueStateDescriptor<Long> firstJudgedWindowEnd() {
    return new ValueStateDescriptor<>("first-judged-window-end", Types.LONG);
  }

  /**
   * Per model version: the event time at which the latest retraining request was decided, whatever
   * its reason: the end of the drift window that raised it, or the watermark that closed the
   * performance window (its end plus labels.wait).
   */
  public static ValueStateDescriptor<Long> lastRetrainRequest() {
    return new ValueStateDescriptor<>("last-retrain-request", Types.LONG);
  }

  /** Per transaction, its decision with its segments while it waits for the label. */
  public static ValueStateDescriptor<SegmentedDecision> decisionAwaitingLabel() {
    return new ValueStateDescriptor<>("decision-awaiting-label", TypeInformation.of(SegmentedDecision.class));
  }

  /** Per transaction, the rules that fired for its decision, until its label arrives. */
  public static ValueStateDescriptor<RuleHits> ruleHitsAwaitingLabel() {
    return new ValueStateDescriptor<>("rule-hits-awaiting-label", TypeInformation.of(RuleHits.class));
  }

  /** Per transaction, a label that arrived before its decision. */
  public static ValueStateDescriptor<FraudLabel> labelAwaitingDecision() {
    return new ValueStateDescriptor<>("label-awaiting-decision", new AvroTypeInfo<>(FraudLabel.class));
  }

  /** Per model version and segment, the counts of each performance window not reported yet, by window start. */
  public static MapStateDescriptor<Long, PerformanceCounts> performanceWindows() {
    return new MapStateDescriptor<>("performance-windows", Types.LONG, TypeInformation.of(PerformanceCounts.class));
  }

  /** The rule set the job decides with, under {@link #CURRENT_RULE_SET}: the same on every subtask. */
  public static MapStateDescriptor<String, RuleSetUpdate> ruleSets() {
    return new MapStateDescriptor<>("rule-sets", Types.STRING, new AvroTypeInfo<>(RuleSetUpdate.class));
  }

  public static final String CURRENT_RULE_SET = "current";

  /** The rollout of the candidate in shadow, under the one key of the rollout. */
  public static ValueStateDescriptor<RolloutTally> rollout() {
    return new ValueStateDescriptor<>("rollout", TypeInformation.of(RolloutTally.class));
  }
}
