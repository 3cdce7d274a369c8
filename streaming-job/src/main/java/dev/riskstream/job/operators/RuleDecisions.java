package dev.riskstream.job.operators;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.rules.CompiledRuleSet;
import dev.riskstream.rules.InvalidRuleSetException;
import dev.riskstream.rules.RuleSetCompiler;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.RuleSetStatusKind;
import dev.riskstream.schemas.RuleSetUpdate;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides as {@link DecisionPolicy} does, with the rule set last published on the rule-sets topic.
 * Publications come down the decision path in line with the transactions ({@link ControlRecord};
 * broadcast, so every subtask sees each, after the transactions that reached it first), and are held
 * in broadcast state (as when they were a second input, so savepoints of those releases restore), so
 * a restored job decides with the set it had. A publication that does not compile
 * is refused: the current set keeps deciding, and the refusal, with every problem, goes to the
 * rule-status side output ({@link PipelineState#RULE_STATUS}). Compiling gives every subtask the
 * same answer, so subtask 0 reports for all. Until a set is published, the one of {@code rules.file}
 * decides, or the model alone.
 */
public final class RuleDecisions extends ProcessFunction<EnrichedTransaction, Decision> implements CheckpointedFunction {

  private static final Logger LOG = LoggerFactory.getLogger(RuleDecisions.class);
  private static final AvroCodec<RuleSetUpdate> UPDATES = AvroCodec.of(RuleSetUpdate.class);

  /** The YAML of {@code rules.file}, compiled when the submission was built; null when none. */
  private final String initialRuleSet;
  private transient BroadcastState<String, RuleSetUpdate> published;
  private transient Decider decider;
  /** The refusal of a restored set that no longer compiles, reported with the first element; null: none. */
  private transient RuleSetStatus restoredRefusal;
  private transient Counter activated;
  private transient Counter rejected;

  public RuleDecisions(String initialRuleSet) {
    this.initialRuleSet = initialRuleSet;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    published = context.getOperatorStateStore().getBroadcastState(PipelineState.ruleSets());
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {}

  @Override
  public void open(OpenContext openContext) throws Exception {
    decider = new Decider(getRuntimeContext().getMetricGroup());
    decider.use(initialRuleSet == null ? null : RuleSetCompiler.compile(initialRuleSet));
    var group = getRuntimeContext().getMetricGroup().addGroup("rules");
    activated = group.counter("setsActivated");
    rejected = group.counter("setsRejected");
    RuleSetUpdate restored = published.get(PipelineState.CURRENT_RULE_SET);
    if (restored != null) {
      try {
        decider.use(RuleSetCompiler.compile(restored.getSource()));
      } catch (InvalidRuleSetException e) {
        // restored from a job whose rule environment knew names this one does not: failing would only
        // fail again on every restart
        rejected.inc();
        LOG.error("The restored rule set {} does not compile here; still deciding with {}: {}", restored.getVersion(),
            activeVersion(), e.getMessage());
        restoredRefusal = status(restored.getVersion(), RuleSetStatusKind.REJECTED,
            "restored, but does not compile in this job: " + e.getMessage()).orElse(null);
      }
    }
  }

  @Override
  public void processElement(EnrichedTransaction tx, Context ctx, Collector<Decision> out) throws Exception {
    if (restoredRefusal != null) {
      ctx.output(PipelineState.RULE_STATUS, restoredRefusal);
      restoredRefusal = null;
    }
    if (tx.control != null) {
      publish(tx.control.record, ctx);
      return;
    }
    out.collect(decider.decide(tx));
  }

  private void publish(RawRecord raw, Context ctx) throws Exception {
    RuleSetUpdate update;
    try {
      update = UPDATES.decode(raw.value);
    } catch (DecodeException e) {
      refuse(ctx, "(unreadable)", "the record at " + raw.topic + "/" + raw.partition + "/" + raw.offset
          + " is not a RuleSetUpdate: " + e.getMessage());
      return;
    }
    CompiledRuleSet compiled;
    try {
      compiled = RuleSetCompiler.compile(update.getSource());
    } catch (InvalidRuleSetException e) {
      refuse(ctx, update.getVersion(), e.getMessage());
      return;
    }
    if (!compiled.version().equals(update.getVersion())) {
      refuse(ctx, update.getVersion(), "published as version " + update.getVersion() + " but its YAML says "
          + compiled.version());
      return;
    }
    published.put(PipelineState.CURRENT_RULE_SET, update);
    decider.use(compiled);
    activated.inc();
    LOG.info("Deciding with rule set {} ({} rules)", compiled.version(), compiled.rules().size());
    status(update.getVersion(), RuleSetStatusKind.ACTIVATED, update.getReason())
        .ifPresent(status -> ctx.output(PipelineState.RULE_STATUS, status));
  }

  private void refuse(Context ctx, String version, String reason) {
    rejected.inc();
    LOG.warn("Refused rule set {}; still deciding with {}: {}", version, activeVersion(), reason);
    status(version, RuleSetStatusKind.REJECTED, reason).ifPresent(status -> ctx.output(PipelineState.RULE_STATUS, status));
  }

  /** What to report on the rule-status side output: subtask 0 reports for all, the others nothing. */
  private Optional<RuleSetStatus> status(String version, RuleSetStatusKind status, String reason) {
    if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) {
      return Optional.empty();
    }
    return Optional.of(RuleSetStatus.newBuilder()
        .setVersion(version)
        .setStatus(status)
        .setReason(reason)
        .setActiveVersion(activeVersion())
        .setReportedAt(Instant.now())
        .build());
  }

  private String activeVersion() {
    return decider.rules() == null ? null : decider.rules().version();
  }
}
